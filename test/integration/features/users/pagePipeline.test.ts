import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/core/errors/AppError';
import { portSipProfile } from '../../../../shared/pbx/portsip/portSipProfile';
import { UserSyncOptionsSchema } from '../../../../shared/features/users/usersOptions';
import { type Services, type TenantConnectors } from '../../../../shared/app/Services';
import { type PbxClient } from '../../../../shared/pbx/ports/PbxClient';
import { type DeltaStart, type DirectoryReader } from '../../../../shared/graph/DirectoryReader';
import { type GraphUser, type UsersDeltaPage } from '../../../../shared/graph/GraphUser';
import { runUserSync } from '../../../../shared/features/users/runUserSync';

import { useSandboxes } from '../../../support/useSandboxes';
import { createSandboxTenant } from '../../../support/sandboxTenant';

let services: Services;
let connectors: TenantConnectors;
let tenantSeq = 0;
let tenantId: string;

const sandboxes = useSandboxes({ pageSize: 50 });

async function freshTenant(): Promise<void> {
  tenantId = `pipe${++tenantSeq}`;
  const created = await createSandboxTenant(sandboxes, tenantId);
  services = created.services;
  connectors = await services.connectorsFor(created.tenant);
}

const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const user = (n: number, department = 'Sales'): GraphUser => ({
  id: guid(n),
  givenName: 'Pipe',
  surname: `User ${n}`,
  displayName: `Pipe User ${n}`,
  userPrincipalName: `pipe${n}@contoso.com`,
  mail: `pipe${n}@contoso.com`,
  businessPhones: [],
  department,
  accountEnabled: true,
  userType: 'Member',
});

/** A delta round scripted page by page; `page:N` links resume at page N, as Graph's nextLinks do. */
function scriptedRound(pages: GraphUser[][]): DirectoryReader & { nextLinks: string[] } {
  const nextLinks = pages.slice(1).map((_, i) => `page:${i + 1}`);
  return {
    nextLinks,
    async *usersDelta(start: DeltaStart): AsyncIterable<UsersDeltaPage> {
      const first = start.kind === 'link' ? Number(start.url.split(':')[1]) : 0;
      for (let i = first; i < pages.length; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        yield { users: pages[i]!, removed: [], ...(i + 1 < pages.length ? { nextLink: nextLinks[i]! } : { deltaLink: 'delta:1' }) };
      }
    },
    listGroupMemberUserIds: () => Promise.resolve([]),
    groupsDelta: () => {
      throw new Error('not used by a users run');
    },
    getGroup: () => Promise.resolve(null),
    listGroupAncestorIds: () => Promise.resolve([]),
    listUserGroupIds: () => Promise.resolve([]),
    getUser: () => Promise.resolve(null),
    listDeletedUserIds: () => Promise.resolve(new Set<string>()),
    isDeletedUser: () => Promise.resolve(false),
    requestCount: () => 0,
  };
}

/** The real client with some operations replaced; every other call goes to it. */
function overriding(real: PbxClient, overrides: Partial<PbxClient>): PbxClient {
  return new Proxy(real, {
    get(target, property) {
      if (property in overrides) return overrides[property as keyof PbxClient];
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const sync = (reader: DirectoryReader, pbxClient: PbxClient = connectors.pbx, mode: 'full' | 'delta' = 'full') =>
  runUserSync(
    {
      tenantId,
      options: UserSyncOptionsSchema.parse({}),
      directoryReader: reader,
      pbx: pbxClient,
      pbxProfile: portSipProfile,
      deltaStates: services.deltaStates,
      links: services.links,
      pendingUsers: services.pendingUsers,
      concurrency: 4,
    },
    { mode, dryRun: false },
  );

const extensionsOf = (objectId: string) => sandboxes.pbx.listUsers().filter((u) => u.ms365_binding === objectId);

describe('the page pipeline (pages overlap; checkpoints do not)', () => {
  it('a retryable failure on a page keeps the checkpoint before it, though the next page was under way; the replay converges', async () => {
    await freshTenant();
    const pages = [0, 1, 2, 3].map((p) => Array.from({ length: 25 }, (_, i) => user(1000 + p * 25 + i)));
    const reader = scriptedRound(pages);
    const failing = guid(1000 + 25 + 20); // late in page 2, so page 3 is planned and reserved by then
    let failures = 0;
    const flaky = overriding(connectors.pbx, {
      createUser: async (u) => {
        if (u.email === `pipe${1000 + 25 + 20}@contoso.com` && failures++ === 0) throw new AppError('TRANSIENT', 'the PBX is restarting');
        return connectors.pbx.createUser(u);
      },
    });
    await expect(sync(reader, flaky)).rejects.toThrow('restarting');
    const state = (await services.deltaStates.get(tenantId, 'users'))!;
    expect(state.checkpointLink).toBe(reader.nextLinks[0]); // after page 1: page 2 did not finish
    expect(state.deltaLink).toBeUndefined();
    expect(extensionsOf(failing)).toHaveLength(0);
    for (const u of pages[0]!) expect(extensionsOf(u.id)).toHaveLength(1);

    const replay = await sync(reader, connectors.pbx, 'delta');
    expect(replay.notes.join(' ')).toMatch(/resumed/);
    expect(replay.counts.failed).toBe(0);
    for (const u of pages.flat()) expect(extensionsOf(u.id)).toHaveLength(1);
    const links = await services.links.listByTenant(tenantId);
    expect(links).toHaveLength(100);
    expect(links.every((l) => l.state === 'active')).toBe(true);
    expect((await services.deltaStates.get(tenantId, 'users'))?.deltaLink).toBe('delta:1');
  });

  it('a user repeated on the next page waits for the page still writing it: one extension, the later copy wins, no conflict', async () => {
    await freshTenant();
    const repeated = user(2000, 'Sales');
    const pages = [
      [repeated, ...Array.from({ length: 30 }, (_, i) => user(2001 + i))],
      [...Array.from({ length: 30 }, (_, i) => user(2100 + i)), { ...repeated, department: 'Support' }],
    ];
    const result = await sync(scriptedRound(pages));
    expect(result.counts.failed).toBe(0);
    expect(result.issues.filter((i) => i.code === 'linkConflict')).toEqual([]);
    expect(extensionsOf(repeated.id)).toHaveLength(1);
    expect(extensionsOf(repeated.id)[0]?.department).toBe('Support');
    expect((await services.links.get(tenantId, repeated.id))?.fields?.department).toBe('Support');
  });
});
