import { describe, expect, it } from 'vitest';
import { type UserSyncOptions, UserSyncOptionsSchema } from '../../../../shared/features/users/usersOptions';
import { type GraphUser } from '../../../../shared/graph/GraphUser';
import { type UserLink } from '../../../../shared/engine/LinkStore';
import { type PbxClient } from '../../../../shared/pbx/ports/PbxClient';
import {
  type NumberQuarantineStore,
  type QuarantineEntry,
  type QuarantinedNumber,
  isQuarantineActive,
} from '../../../../shared/engine/NumberQuarantineStore';
import { PbxDirectory, type QuarantineHold } from '../../../../shared/features/users/PbxDirectory';
import { portSipProfile } from '../../../../shared/pbx/portsip/portSipProfile';
import { planUserChanges } from '../../../../shared/features/users/planUserChanges';
import { type ApplyDeps, applyUserPlan } from '../../../../shared/features/users/applyUserPlan';
import { annUser } from '../../../support/usersPlanning';
import { type DeleteAction } from '../../../../shared/features/users/UserPlan';

const RELEASE = '2026-04-01T00:00:00.000Z';
const hold = (number: string, objectId?: string): QuarantineHold => ({ number, releaseAt: RELEASE, objectId });
const directoryWith = (holds: QuarantineHold[], usedNumbers: string[] = []) =>
  new PbxDirectory(portSipProfile, [], usedNumbers, new Set(), holds);

const options = (overrides: Partial<Record<keyof UserSyncOptions, unknown>> = {}): UserSyncOptions =>
  UserSyncOptionsSchema.parse(overrides);

const user = (id: string, extensionAttribute1?: string): GraphUser =>
  annUser(id, extensionAttribute1 ? { onPremisesExtensionAttributes: { extensionAttribute1 } } : {});

const fromProperty = options({ numbering: { mode: 'fromProperty', property: 'extensionAttribute1' } });
const outcomes = (p: ReturnType<typeof planUserChanges>) =>
  p.actions.map((a) => (a.kind === 'skip' ? a.code : a.kind === 'create' ? a.user.extensionNumber : a.kind));

describe('PbxDirectory: quarantined numbers are taken', () => {
  it('fromStart allocation skips quarantined numbers as it skips numbers in use', () => {
    const directory = directoryWith([hold('1000', 'gone-user'), hold('1002')], ['1001']);
    expect([directory.allocateFrom('1000'), directory.allocateFrom('1000'), directory.allocateFrom('1000')]).toEqual([
      '1003',
      '1004',
      '1005',
    ]);
  });

  it('without a quarantine, the same directory hands out the lowest free numbers', () => {
    const directory = directoryWith([], ['1001']);
    expect([directory.allocateFrom('1000'), directory.allocateFrom('1000')]).toEqual(['1000', '1002']);
  });

  it('quarantineOf: held against everyone but the user who freed it (object ids compared case-insensitively)', () => {
    const directory = directoryWith([hold('2000', 'AAAA-1'), hold('2001')]);
    expect(directory.quarantineOf('2000', 'someone-else')).toEqual(hold('2000', 'AAAA-1'));
    expect(directory.quarantineOf('2000', 'aaaa-1')).toBeUndefined();
    expect(directory.quarantineOf('2001', 'aaaa-1')).toEqual(hold('2001')); // no holder recorded: nobody gets it back
    expect(directory.quarantineOf('2002', 'aaaa-1')).toBeUndefined();
    expect(directory.isNumberUsed('2000')).toBe(false); // quarantined is not "in use on the PBX"
  });
});

describe('planning fromProperty numbers against the quarantine', () => {
  it('skips a user whose number is quarantined, with the reason numberQuarantined and the release date', () => {
    const p = planUserChanges({
      users: [user('1', '2000'), user('2', '2001')],
      removed: [],
      links: new Map(),
      options: fromProperty,
      profile: portSipProfile,
      directory: directoryWith([hold('2000', 'departed')]),
    });
    expect(outcomes(p)).toEqual(['numberQuarantined', '2001']);
    const skip = p.actions[0]!;
    expect(skip.kind === 'skip' && skip.message).toContain(`quarantined until ${RELEASE}`);
    expect(skip.kind === 'skip' && skip.message).toContain('2000');
    expect(skip.kind === 'skip' && skip.message).toContain('/quarantine/2000');
  });

  it('gives the user who freed the number its own number back', () => {
    const p = planUserChanges({
      users: [user('returning', '2000')],
      removed: [],
      links: new Map(),
      options: fromProperty,
      profile: portSipProfile,
      directory: directoryWith([hold('2000', 'returning')]),
    });
    expect(outcomes(p)).toEqual(['2000']);
  });

  it('a number in use on the PBX stays a collision, quarantined or not', () => {
    const p = planUserChanges({
      users: [user('1', '2000')],
      removed: [],
      links: new Map(),
      options: fromProperty,
      profile: portSipProfile,
      directory: directoryWith([hold('2000', 'departed')], ['2000']),
    });
    expect(outcomes(p)).toEqual(['extensionCollision']);
  });

  it('fromStart planning never gives a quarantined number, not even to the user who freed it', () => {
    const p = planUserChanges({
      users: [user('departed'), user('2')],
      removed: [],
      links: new Map(),
      options: options({ numbering: { mode: 'fromStart', start: '1000' } }),
      profile: portSipProfile,
      directory: directoryWith([hold('1000', 'departed')]),
    });
    expect(outcomes(p)).toEqual(['1001', '1002']);
  });

  it('isQuarantineActive: a row keeps its number until (not at) its release date', () => {
    expect(isQuarantineActive({ releaseAt: RELEASE }, new Date('2026-03-31T23:59:59.999Z'))).toBe(true);
    expect(isQuarantineActive({ releaseAt: RELEASE }, new Date(RELEASE))).toBe(false);
  });
});

/** A quarantine in memory that logs its writes into the shared call log. */
class MemoryQuarantine implements NumberQuarantineStore {
  readonly rows = new Map<string, QuarantinedNumber>();
  fail = false;
  constructor(private readonly log: string[]) {}
  quarantine(tenantId: string, number: string, entry: QuarantineEntry): Promise<void> {
    this.log.push(`quarantine ${number}`);
    if (this.fail) return Promise.reject(new Error('table unavailable'));
    this.rows.set(number, { tenantId, number, ...entry, quarantinedAt: entry.quarantinedAt ?? '' });
    return Promise.resolve();
  }
  list(): Promise<QuarantinedNumber[]> {
    return Promise.resolve([...this.rows.values()]);
  }
  release(_tenantId: string, number: string): Promise<boolean> {
    return Promise.resolve(this.rows.delete(number));
  }
  activeNumbers(_tenantId: string, now: Date): Promise<QuarantinedNumber[]> {
    return Promise.resolve([...this.rows.values()].filter((r) => isQuarantineActive(r, now)));
  }
  purgeExpired(): Promise<number> {
    return Promise.resolve(0);
  }
  deleteAllForTenant(): Promise<void> {
    this.rows.clear();
    return Promise.resolve();
  }
}

describe('a delete quarantines the number it frees', () => {
  const NOW = new Date('2026-03-01T12:00:00.000Z');
  const link: UserLink = {
    tenantId: 't',
    objectId: 'u1',
    state: 'active',
    origin: 'created',
    pbxUserId: 'p1',
    pbxUserName: 'ann',
    extensionNumber: '1042',
    boundToMicrosoft365: true,
    updatedAt: '2026-01-01T00:00:00.000Z',
    etag: 'v1',
  };
  const action: DeleteAction = { kind: 'delete', objectId: 'u1', pbxUserId: 'p1', reason: 'user was permanently deleted' };

  function setup(days: number) {
    const log: string[] = [];
    const quarantine = new MemoryQuarantine(log);
    const links = {
      delete: (_t: string, id: string) => {
        log.push(`link delete ${id}`);
        return Promise.resolve();
      },
    };
    const pbx = {
      deleteUser: (id: string) => {
        log.push(`pbx delete ${id}`);
        return Promise.resolve();
      },
    };
    const deps = {
      tenantId: 't',
      pbx: pbx as unknown as PbxClient,
      links: links as unknown as ApplyDeps['links'],
      pendingUsers: { list: () => Promise.resolve([]), record: () => Promise.resolve(), remove: () => Promise.resolve() },
      linkCache: new Map([[link.objectId, link]]),
      concurrency: 1,
      pendingIds: new Set<string>(),
      quarantine: { store: quarantine, days },
      now: () => NOW,
    } satisfies ApplyDeps;
    return { log, quarantine, deps };
  }

  it('writes the quarantine after the PBX delete and before the link goes, until now + quarantineDays', async () => {
    const { log, quarantine, deps } = setup(30);
    const outcome = await applyUserPlan([action], deps);
    expect(outcome.counts.deleted).toBe(1);
    expect(log).toEqual(['pbx delete p1', 'quarantine 1042', 'link delete u1']);
    expect(quarantine.rows.get('1042')).toEqual({
      tenantId: 't',
      number: '1042',
      quarantinedAt: NOW.toISOString(),
      releaseAt: '2026-03-31T12:00:00.000Z',
      objectId: 'u1',
      reason: 'user was permanently deleted',
    });
  });

  it('quarantineDays 0 quarantines nothing', async () => {
    const { log, quarantine, deps } = setup(0);
    await applyUserPlan([action], deps);
    expect(log).toEqual(['pbx delete p1', 'link delete u1']);
    expect(quarantine.rows.size).toBe(0);
  });

  it('a failed quarantine write keeps the link, so a replay deletes (already gone) and quarantines again', async () => {
    const { log, quarantine, deps } = setup(30);
    quarantine.fail = true;
    const outcome = await applyUserPlan([action], deps);
    expect(outcome.counts.deleted ?? 0).toBe(0);
    expect(log).toEqual(['pbx delete p1', 'quarantine 1042']);
    expect(deps.linkCache.has('u1')).toBe(true);
  });
});
