import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/core/errors/AppError';
import { processSyncJob } from '../../../../shared/app/processSyncJob';
import { type Services } from '../../../../shared/app/Services';
import { type LinkStore, type LinkWriteResult, type UserLink } from '../../../../shared/engine/LinkStore';
import { newRunId } from '../../../../shared/engine/newRunId';
import { type SyncRun } from '../../../../shared/engine/RunStore';
import { demoCompany, generateUsers, type SandboxUser } from '../../../../sandbox/graph';
import { createSandboxTenant } from '../../../support/sandboxTenant';
import { runUserSync } from '../../../../shared/features/users/runUserSync';
import { Logger } from '../../../../shared/core/logging/Logger';
import { featureSyncJob } from '../../../../shared/app/jobs/featureSyncJob';
import { useSandboxes } from '../../../support/useSandboxes';
import { usersManifest } from '../../../../shared/features/users/usersManifest';

let services: Services;
let tenantSeq = 0;
let tenantId: string;

const sandboxes = useSandboxes({ pageSize: 50 });

/** A fresh tenant (own tables) over fresh sandbox data for each test. */
async function freshTenant(users: SandboxUser[], options: Record<string, unknown> = {}): Promise<void> {
  sandboxes.graph.seed(users, []);
  tenantId = `t${++tenantSeq}`;
  services = (await createSandboxTenant(sandboxes, tenantId, options)).services;
}

async function sync(mode: 'full' | 'delta' = 'delta', override?: Partial<Services>): Promise<SyncRun> {
  const runId = newRunId();
  const job = featureSyncJob(usersManifest, { tenantId, runId, mode, trigger: 'manual' });
  await processSyncJob({ ...services, ...override }, job, Logger.silent());
  return (await services.runs.get(tenantId, runId))!;
}

/** PBX users created or adopted for this tenant's Entra users, by Entra object id. */
function pbxUsersByEntraId(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const u of sandboxes.pbx.listUsers()) if (u.ms365_binding) map.set(u.ms365_binding, [...(map.get(u.ms365_binding) ?? []), u.id]);
  return map;
}

const eligible = (users: SandboxUser[]) =>
  users.filter(
    (u) =>
      u.accountEnabled &&
      u.userType === 'Member' &&
      (u.givenName?.trim() || u.surname?.trim()) &&
      (u.mail || !u.userPrincipalName.includes('#EXT#')),
  );

const person = (id: string, extra: Partial<SandboxUser> = {}): SandboxUser => ({
  id,
  givenName: 'Test',
  surname: `User ${id.slice(-4)}`,
  displayName: `Test User ${id.slice(-4)}`,
  userPrincipalName: `user${id.slice(-4)}@contoso.com`,
  mail: `user${id.slice(-4)}@contoso.com`,
  businessPhones: ['+1 425 555 0100'],
  accountEnabled: true,
  userType: 'Member',
  department: 'Sales',
  ...extra,
});
const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('users → PortSIP extensions, end to end (sandbox Graph + sandbox PortSIP + Azurite)', () => {
  beforeEach(() => {
    sandboxes.pbx.stats.reset();
    sandboxes.graph.stats.reset();
  });

  it('initial sync creates one bound extension per eligible user and reports the skipped ones', async () => {
    const before = sandboxes.pbx.listUsers().length;
    const users = generateUsers(240, { seed: 7 });
    await freshTenant(users);
    const run = await sync('full');
    expect(run.status).toBe('succeeded');
    const expected = eligible(users);
    expect(run.counts.created).toBe(expected.length);
    expect(sandboxes.pbx.listUsers().length - before).toBe(expected.length);
    const byEntra = pbxUsersByEntraId();
    for (const u of expected) expect(byEntra.get(u.id)).toHaveLength(1);
    expect(run.skippedByReason.missingName).toBeGreaterThan(0);
    expect(run.pages).toBeGreaterThan(4);
    const links = await services.links.listByTenant(tenantId);
    expect(new Set(links.map((l) => l.extensionNumber)).size).toBe(expected.length);
  });

  it('accounts for every directory user in exactly one count (the demo company: 24 users)', async () => {
    const demo = demoCompany().users;
    await freshTenant(demo);
    const run = await sync('full');
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(run.itemsRead).toBe(demo.length);
    expect(sum({ ...run.counts })).toBe(demo.length);
    expect(run.counts).toMatchObject({ created: eligible(demo).length, skipped: 1, outOfScope: 2, failed: 0 });
    expect(run.outOfScopeByReason).toEqual({ guest: 1, accountDisabled: 1 });
    expect(run.skippedByReason).toEqual({ missingName: 1 });
    const again = await sync('full');
    expect(sum({ ...again.counts })).toBe(demo.length);
    expect(again.counts).toMatchObject({ unchanged: eligible(demo).length, skipped: 1, outOfScope: 2 });
  });

  it('a dry run counts what it would do, like the run it previews', async () => {
    const demo = demoCompany().users;
    await freshTenant(demo);
    const tenant = (await services.tenants.get(tenantId))!;
    const connectors = await services.connectorsFor(tenant);
    const preview = await runUserSync(
      {
        tenantId,
        options: tenant.config.users,
        directoryReader: connectors.directoryReader,
        pbx: connectors.pbx,
        pbxProfile: connectors.pbxProfile,
        deltaStates: services.deltaStates,
        links: services.links,
        pendingUsers: services.pendingUsers,
        concurrency: 4,
      },
      { mode: 'full', dryRun: true },
    );
    const run = await sync('full');
    expect(preview.counts).toEqual(run.counts);
    expect(preview.outOfScopeByReason).toEqual(run.outOfScopeByReason);
    expect(preview.itemsRead).toBe(run.itemsRead);
  });

  it('a second run with no change makes zero PBX writes (delta and full)', async () => {
    await freshTenant(generateUsers(120, { seed: 3 }));
    await sync('full');
    sandboxes.pbx.stats.reset();
    const delta = await sync('delta');
    expect(delta.status).toBe('succeeded');
    expect(sandboxes.pbx.stats.writes).toBe(0);
    expect(delta.pages).toBe(1);
    const full = await sync('full');
    expect(sandboxes.pbx.stats.writes).toBe(0);
    expect(full.counts.unchanged).toBe(eligible(sandboxes.graph.listUsers()).length);
  });

  it('incremental sync carries adds, renames, cleared fields, disables and deletes', async () => {
    const users = [1, 2, 3, 4, 5].map((n) => person(guid(n), { mobilePhone: '+1 555 0000' }));
    await freshTenant(users);
    await sync('full');
    const extOf = async (id: string) => sandboxes.pbx.getUser((await services.links.get(tenantId, id))!.pbxUserId!);
    const deletedPbxId = (await services.links.get(tenantId, guid(4)))!.pbxUserId!;

    sandboxes.graph.addUser(person(guid(6)));
    sandboxes.graph.updateUser(guid(1), { displayName: 'Renamed Person', mobilePhone: null });
    sandboxes.graph.updateUser(guid(2), { accountEnabled: false });
    sandboxes.graph.hardDeleteUser(guid(4));
    sandboxes.graph.softDeleteUser(guid(5));
    const run = await sync('delta');
    // The permanently deleted user loses the extension; the soft-deleted (restorable) one keeps it, disabled.
    expect(run.counts).toMatchObject({ created: 1, updated: 1, disabled: 2, deleted: 1 });
    expect(await extOf(guid(1))).toMatchObject({ display_name: 'Renamed Person' });
    expect((await extOf(guid(1)))?.mobile_phone ?? '').toBe('');
    expect((await extOf(guid(2)))?.enabled).toBe(false);
    expect(sandboxes.pbx.getUser(deletedPbxId)).toBeUndefined();
    expect((await extOf(guid(5)))?.enabled).toBe(false);
    expect(pbxUsersByEntraId().get(guid(6))).toHaveLength(1);

    sandboxes.graph.updateUser(guid(2), { accountEnabled: true });
    const again = await sync('delta');
    expect(again.counts.updated).toBe(1);
    expect((await extOf(guid(2)))?.enabled).toBe(true);
  });

  it('a crash between the PBX write and the link write, then a replay, leaves no duplicate extension', async () => {
    const users = Array.from({ length: 30 }, (_, i) => person(guid(100 + i)));
    await freshTenant(users);
    let activeWrites = 0;
    const real = services.links;
    const crashIfActive = (link: UserLink) => {
      if (link.state === 'active' && ++activeWrites > 10) throw new Error('process crashed');
    };
    const crashingLinks: LinkStore = {
      listByTenant: (t) => real.listByTenant(t),
      get: (t, id) => real.get(t, id),
      create: (link) => real.create(link),
      update: async (link) => {
        crashIfActive(link);
        return real.update(link);
      },
      delete: (t, id, etag) => real.delete(t, id, etag),
      deleteAllForTenant: (t) => real.deleteAllForTenant(t),
      // The process dies part-way through the final link writes: the first 10 are stored, the others never are.
      writeMany: async (t, writes) => {
        const results: LinkWriteResult[] = [];
        for (const write of writes) {
          crashIfActive(write.link);
          results.push(...(await real.writeMany(t, [write])));
        }
        return results;
      },
    };
    await expect(sync('full', { links: crashingLinks })).rejects.toThrow('process crashed');
    const createdBeforeCrash = users.filter((u) => pbxUsersByEntraId().has(u.id)).length;
    expect(createdBeforeCrash).toBeGreaterThan(10); // PBX writes happened whose links were never written

    const replay = await sync('full');
    expect(replay.status).toBe('succeeded');
    const byEntra = pbxUsersByEntraId();
    for (const u of users) expect(byEntra.get(u.id)).toHaveLength(1);
    expect((await services.links.listByTenant(tenantId)).every((l) => l.state === 'active')).toBe(true);
  });

  it('an interrupted initial round resumes from its last checkpoint without duplicates, and skips the unsafe sweep', async () => {
    const users = Array.from({ length: 200 }, (_, i) => person(guid(600 + i)));
    await freshTenant(users);
    const tenant = (await services.tenants.get(tenantId))!;
    const real = await services.connectorsFor(tenant);
    let pagesServed = 0;
    const dying = {
      ...real,
      directoryReader: {
        ...real.directoryReader,
        requestCount: () => real.directoryReader.requestCount(),
        getUser: (id: string) => real.directoryReader.getUser(id),
        listDeletedUserIds: () => real.directoryReader.listDeletedUserIds(),
        isDeletedUser: (id: string) => real.directoryReader.isDeletedUser(id),
        listGroupMemberUserIds: (id: string) => real.directoryReader.listGroupMemberUserIds(id),
        async *usersDelta(start: Parameters<typeof real.directoryReader.usersDelta>[0]) {
          for await (const page of real.directoryReader.usersDelta(start)) {
            if (++pagesServed > 2) throw new AppError('TRANSIENT', 'Graph went away mid-round');
            yield page;
          }
        },
      },
    };
    await expect(sync('full', { connectorsFor: async () => dying })).rejects.toThrow('mid-round');
    const state = (await services.deltaStates.get(tenantId, 'users'))!;
    expect(state.checkpointLink).toBeDefined();
    expect(state.deltaLink).toBeUndefined();
    expect((await services.links.listByTenant(tenantId)).length).toBe(100);

    const resumed = await sync('delta');
    expect(resumed.status).toBe('succeeded');
    expect(resumed.notes.join(' ')).toMatch(/resumed.*checkpoint/);
    expect(resumed.notes.join(' ')).toMatch(/sweep skipped/);
    expect(resumed.counts.created).toBe(100);
    const byEntra = pbxUsersByEntraId();
    for (const u of users) expect(byEntra.get(u.id)).toHaveLength(1);
  });

  it('an expired delta token (both kinds) triggers a clean full resync that deletes nothing it merely had not re-read', async () => {
    const users = Array.from({ length: 60 }, (_, i) => person(guid(200 + i)));
    await freshTenant(users);
    await sync('full');
    for (const kind of ['syncStateNotFound', 'gone'] as const) {
      sandboxes.graph.faults.expireDeltaTokens(kind);
      sandboxes.graph.updateUser(guid(201), { department: `Dept ${kind}` });
      sandboxes.pbx.stats.reset();
      const run = await sync('delta');
      expect(run.status).toBe('succeeded');
      expect(run.mode).toBe('full');
      expect(run.notes.join(' ')).toMatch(/expired/);
      expect(run.counts).toMatchObject({ updated: 1, deleted: 0, created: 0 });
      expect(sandboxes.pbx.stats.writes).toBe(1);
    }
    expect(pbxUsersByEntraId().size).toBeGreaterThanOrEqual(60);
  });

  it('Graph 429 and PBX 429/503 are retried and nothing is lost', async () => {
    const users = Array.from({ length: 40 }, (_, i) => person(guid(300 + i)));
    await freshTenant(users);
    sandboxes.graph.faults.throttleNext(2, 1);
    sandboxes.pbx.faults.throttleNext(3, 1);
    sandboxes.pbx.faults.failNext(2, 503);
    const run = await sync('full');
    expect(run.status).toBe('succeeded');
    expect(run.counts.created).toBe(40);
    const byEntra = pbxUsersByEntraId();
    for (const u of users) expect(byEntra.get(u.id)).toHaveLength(1);
    expect(sandboxes.graph.stats.requests).toBeGreaterThan(run.pages);
  });

  it('adopts an existing extension by email and never touches extensions it does not manage', async () => {
    const users = [person(guid(400)), person(guid(401))];
    await freshTenant(users, { adoptByEmail: true });
    const adoptable = sandboxes.pbx.addUser({
      name: 'legacy400',
      extension_number: '7400',
      email: users[0]!.mail!.toUpperCase(),
      display_name: 'Old Name',
    });
    const foreign = sandboxes.pbx.addUser({
      name: 'reception',
      extension_number: '7999',
      email: 'reception@contoso.com',
      display_name: 'Reception',
    });
    const run = await sync('full');
    expect(run.counts).toMatchObject({ adopted: 1, created: 1 });
    expect(sandboxes.pbx.getUser(adoptable.id)).toMatchObject({ display_name: users[0]!.displayName, ms365_binding: guid(400) });
    sandboxes.graph.hardDeleteUser(guid(401));
    await sync('full');
    expect(sandboxes.pbx.getUser(foreign.id)).toMatchObject({ display_name: 'Reception', enabled: true, ms365_binding: null });
  });

  it('a PBX validation error for one user is reported, does not block the others, and is retried next run', async () => {
    const users = [person(guid(500)), person(guid(501), { displayName: 'x'.repeat(200) }), person(guid(502))];
    await freshTenant(users);
    sandboxes.pbx.faults.failNextMatching('POST', /^\/api\/users$/, 1, 400);
    const run = await sync('full');
    expect(run.status).toBe('partial');
    expect(run.counts.failed).toBe(1);
    expect(run.counts.created).toBe(2);
    const pending = await services.pendingUsers.list(tenantId);
    expect(pending).toHaveLength(1);
    const retry = await sync('delta');
    expect(retry.counts.created).toBe(1);
    expect(await services.pendingUsers.list(tenantId)).toHaveLength(0);
    expect(pbxUsersByEntraId().size).toBeGreaterThanOrEqual(3);
  });

  it('a dry run returns the plan and writes nothing anywhere', async () => {
    await freshTenant(generateUsers(50, { seed: 11 }));
    const tenant = (await services.tenants.get(tenantId))!;
    const connectors = await services.connectorsFor(tenant);
    sandboxes.pbx.stats.reset();
    const result = await runUserSync(
      {
        tenantId,
        options: tenant.config.users,
        directoryReader: connectors.directoryReader,
        pbx: connectors.pbx,
        pbxProfile: connectors.pbxProfile,
        deltaStates: services.deltaStates,
        links: services.links,
        pendingUsers: services.pendingUsers,
        concurrency: 4,
      },
      { mode: 'full', dryRun: true },
    );
    expect(result.plannedActions!.filter((a) => a.kind === 'create').length).toBe(eligible(sandboxes.graph.listUsers()).length);
    expect(sandboxes.pbx.stats.writes).toBe(0);
    expect(await services.deltaStates.get(tenantId, 'users')).toBeNull();
    expect(await services.links.listByTenant(tenantId)).toHaveLength(0);
  });
});
