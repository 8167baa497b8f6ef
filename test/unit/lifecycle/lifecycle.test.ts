import { describe, expect, it } from 'vitest';
import { userTeardownStep } from '../../../shared/features/users/teardownUsers';
import { presenceRestoreOf, withoutSource } from '../../../shared/engine/teardownConnectorPresence';
import { auditActorOf } from '../../../shared/admin/lifecycleHandlers';
import { resumeWarnings, withFeatureSwitch } from '../../../shared/admin/tenantLifecycle';
import { type AuditEntry } from '../../../shared/engine/AuditTrail';
import { type TenantRecord } from '../../../shared/app/TenantStore';
import { type AppliedPresence, type PresenceRecord } from '../../../shared/engine/PresenceRecord';
import { usersFeature } from '../../../shared/features/users/usersFeature';
import { tenantConfig } from '../../integration/platform/tables/storeTestTables';

const headers = (values: Record<string, string>) => ({ headers: new Headers(values) });
const principal = (name: string) =>
  Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      claims: [
        { typ: 'name', val: name },
        { typ: 'oid', val: 'o-1' },
      ],
    }),
  ).toString('base64');

describe('userTeardownStep', () => {
  it('deletes only what the connector created, and only when asked to', () => {
    expect(userTeardownStep({ origin: 'created', pbxUserId: 'p1' }, 'delete')).toBe('delete');
    expect(userTeardownStep({ origin: 'adopted', pbxUserId: 'p1' }, 'delete')).toBe('handOver');
    expect(userTeardownStep({ origin: 'created', pbxUserId: 'p1' }, 'retain')).toBe('handOver');
    expect(userTeardownStep({ origin: 'adopted', pbxUserId: 'p1' }, 'retain')).toBe('handOver');
  });

  it('forgets a reservation whose PBX create never finished (nothing to name on the PBX)', () => {
    expect(userTeardownStep({ origin: 'created', pbxUserId: undefined }, 'delete')).toBe('forget');
  });
});

const applied: AppliedPresence = {
  source: 'teams',
  target: 'doNotDisturb',
  mode: 'status',
  asserted: { status: 'doNotDisturb' },
  before: { status: 'available', doNotDisturb: false, statusNote: '' },
  at: '2026-01-01T00:00:00.000Z',
};

describe('presenceRestoreOf', () => {
  it('puts back the status from before while the PBX still shows what the connector set', () => {
    expect(presenceRestoreOf(applied, { status: 'doNotDisturb', doNotDisturb: false, statusNote: '' })).toEqual({
      kind: 'restore',
      changes: { status: 'available' },
    });
  });

  it('leaves a status changed by hand since', () => {
    expect(presenceRestoreOf(applied, { status: 'away', doNotDisturb: false, statusNote: '' })).toEqual({ kind: 'changedByHand' });
  });

  it('restores a Teams-set status too (the arbiter keeps those while Teams is the source; here the source goes)', () => {
    const dnd: AppliedPresence = { ...applied, mode: 'dndOnly', asserted: { doNotDisturb: true } };
    expect(presenceRestoreOf(dnd, { status: 'available', doNotDisturb: true, statusNote: '' })).toEqual({
      kind: 'restore',
      changes: { doNotDisturb: false },
    });
  });

  it('counts a status hidden behind a call as unchanged', () => {
    expect(presenceRestoreOf(applied, { status: undefined, doNotDisturb: false, statusNote: '' })).toEqual({
      kind: 'restore',
      changes: { status: 'available' },
    });
  });
});

describe('withoutSource', () => {
  const now = '2026-02-01T00:00:00.000Z';
  const record: PresenceRecord = {
    userId: 'u1',
    teams: { availability: 'Busy', activity: 'InACall', target: 'doNotDisturb' },
    applied,
    limitedBy: 'noPasswordKept',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };

  it("drops the source's part and what it set; nothing left means no record", () => {
    expect(withoutSource(record, 'teams', now)).toBeUndefined();
  });

  it("keeps another source's part and what it set", () => {
    const kept = withoutSource({ ...record, call: { active: true, eventAt: now } }, 'calendar', now);
    expect(kept).toMatchObject({ teams: record.teams, applied, limitedBy: 'noPasswordKept', call: { active: true }, updatedAt: now });
  });
});

describe('auditActorOf', () => {
  it('is the admin key unless App Service Authentication fronts the app', () => {
    expect(auditActorOf(headers({ 'x-ms-client-principal': principal('Ada') }), {})).toEqual({ kind: 'adminKey', name: 'admin key' });
    expect(auditActorOf(headers({}), { CONSOLE_AUTH: 'appService' })).toEqual({ kind: 'adminKey', name: 'admin key' });
  });

  it("names the App Service principal when it is believed, never a garbled header's content", () => {
    expect(auditActorOf(headers({ 'x-ms-client-principal': principal('Ada') }), { CONSOLE_AUTH: 'appService' })).toEqual({
      kind: 'appService',
      name: 'Ada',
    });
    expect(auditActorOf(headers({ 'x-ms-client-principal': 'not base64 json' }), { CONSOLE_AUTH: 'appService' }).kind).toBe('adminKey');
  });
});

describe('withFeatureSwitch', () => {
  it("switches only the feature's own section", () => {
    const config = tenantConfig();
    const off = withFeatureSwitch(config, usersFeature, false);
    expect(off.users.enabled).toBe(false);
    expect({ ...off, users: config.users }).toEqual(config);
    expect(config.users.enabled).toBe(true);
  });
});

describe('resumeWarnings', () => {
  const trail = (...entries: Pick<AuditEntry, 'action' | 'detail'>[]) => ({
    list: async () =>
      entries.map((e, i) => ({ tenantId: 't', at: `2026-12-0${9 - i}T00:00:00Z`, actor: { kind: 'console', name: 'x' }, ...e })),
  });
  const tenant = (adoptByEmail: boolean): TenantRecord => {
    const config = tenantConfig();
    return { id: 't', etag: 'e', config: { ...config, users: { ...config.users, adoptByEmail } } } as TenantRecord;
  };
  const pause = (feature: string, handedOver: number): Pick<AuditEntry, 'action' | 'detail'> => ({
    action: 'feature.pause',
    detail: { feature, pbxRecords: 'retain', handedOver },
  });

  it('warns before users are resumed after a pause that handed extensions over, with adoptByEmail off', async () => {
    const [warning] = await resumeWarnings({ audit: trail(pause('users', 3)) as never }, tenant(false), usersFeature);
    expect(warning).toMatch(/handed 3 extension\(s\) over.*second extension.*adoptByEmail/);
  });

  it('says nothing with adoptByEmail on, after nothing handed over, after a later resume, or for another feature', async () => {
    expect(await resumeWarnings({ audit: trail(pause('users', 3)) as never }, tenant(true), usersFeature)).toEqual([]);
    expect(await resumeWarnings({ audit: trail(pause('users', 0)) as never }, tenant(false), usersFeature)).toEqual([]);
    expect(await resumeWarnings({ audit: trail(pause('groups', 2)) as never }, tenant(false), usersFeature)).toEqual([]);
    const resumed = { action: 'feature.resume', detail: { feature: 'users' } };
    expect(await resumeWarnings({ audit: trail(resumed, pause('users', 3)) as never }, tenant(false), usersFeature)).toEqual([]);
    expect(await resumeWarnings({ audit: trail() as never }, tenant(false), usersFeature)).toEqual([]);
  });
});
