import { describe, expect, it } from 'vitest';
import { Logger } from '../../../../shared/core/logging/Logger';
import { processJob } from '../../../../shared/app/processJob';
import { requestSync } from '../../../../shared/app/requestSync';
import { featureContext } from '../../../../shared/app/featureContext';
import { groupsFeature } from '../../../../shared/features/groups/groupsFeature';
import { type SyncRun } from '../../../../shared/engine/RunStore';
import { type SandboxGroup } from '../../../../sandbox/graph/SandboxUser';
import { numberedGuid, numberedUser } from '../../../support/numberedUser';
import { createSandboxTenant } from '../../../support/sandboxTenant';
import { GroupSyncOptionsSchema } from '../../../../shared/features/groups/groupsOptions';
import { useSandboxes } from '../../../support/useSandboxes';

const sandboxes = useSandboxes();

const user = (n: number) => numberedUser(n, 'Grp');
const groupId = (n: number) => `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const group = (n: number, displayName: string, memberIds: string[], extra: Partial<SandboxGroup> = {}): SandboxGroup => ({
  id: groupId(n),
  displayName,
  memberIds,
  ...extra,
});

let tenantSeq = 0;

/**
 * A fresh tenant (own tables; the sandbox PBX is shared, so names are unique per test) whose users are synced
 * before groups is turned on with these options (else the users run's link events would start the first
 * groups run), its queue worked by the real router, and helpers to run a feature and read the PBX.
 */
async function setup(groups: Record<string, unknown>, users: Record<string, unknown> = {}) {
  const tenantId = `groups${++tenantSeq}`;
  const { services } = await createSandboxTenant(sandboxes, tenantId, users, { groups: { ...groups, enabled: false } });
  services.queue.start(async (job) => {
    await processJob(services, job, Logger.silent());
  });
  const run = async (feature: 'users' | 'groups', mode: 'full' | 'delta'): Promise<SyncRun> => {
    const { runId } = await requestSync(services, { tenantId, feature, mode, trigger: 'manual' });
    await services.queue.idle();
    const stored = await services.runs.get(tenantId, runId);
    if (!stored) throw new Error('no run record');
    return stored;
  };
  const extensionOf = async (n: number) => (await services.links.get(tenantId, numberedGuid(n)))!.extensionNumber;
  const pbxGroupOf = async (n: number) => {
    const link = await services.groupLinks.get(tenantId, groupId(n));
    if (!link?.pbxGroupId) return undefined;
    const found = sandboxes.pbx.getGroup(link.pbxGroupId);
    return found ? { ...found, members: [...found.members].sort() } : undefined;
  };
  const extensions = async (...ns: number[]) => (await Promise.all(ns.map(extensionOf))).sort();
  const setGroups = async (change: Record<string, unknown>) => {
    const tenant = (await services.tenants.get(tenantId))!;
    const next = GroupSyncOptionsSchema.parse({ ...tenant.config.groups, ...change });
    await services.tenants.replace(tenantId, { ...tenant.config, groups: next }, tenant.etag);
  };
  await run('users', 'full');
  await setGroups({ enabled: true });
  return { setGroups, services, tenantId, run, pbxGroupOf, extensions };
}

/** Unique names per test: the sandbox PBX is shared by the file. */
let nameSeq = 0;
const unique = (name: string) => `${name} ${++nameSeq}`;

describe('groups → PBX extension groups', () => {
  it('creates one PBX group per Entra group with its synced members; renames follow; a deleted group is deleted', async () => {
    const sales = unique('Sales');
    const support = unique('Support');
    sandboxes.graph.seed([1, 2, 3, 4].map(user), [
      group(1, sales, [numberedGuid(1), numberedGuid(2)]),
      group(2, support, [numberedGuid(3)]),
    ]);
    const t = await setup({});
    const first = await t.run('groups', 'full');
    expect(first.status).toBe('succeeded');
    expect(first.counts).toMatchObject({ created: 2, failed: 0 });
    // The round is read whole before it is applied: its size is the exact total, every group settled.
    expect(first.progress).toMatchObject({ done: 2, total: 2, totalBasis: 'graphCount' });

    const salesGroup = await t.pbxGroupOf(1);
    expect(salesGroup).toMatchObject({ name: sales, members: await t.extensions(1, 2) });
    expect(await t.pbxGroupOf(2)).toMatchObject({ name: support, members: await t.extensions(3) });

    sandboxes.graph.updateGroup(groupId(1), { displayName: `${sales} EMEA` });
    const renamed = await t.run('groups', 'delta');
    expect(renamed.counts).toMatchObject({ updated: 1, created: 0 });
    expect(await t.pbxGroupOf(1)).toMatchObject({ id: salesGroup!.id, name: `${sales} EMEA`, members: await t.extensions(1, 2) });

    const supportPbxId = (await t.services.groupLinks.get(t.tenantId, groupId(2)))!.pbxGroupId!;
    sandboxes.graph.hardDeleteGroup(groupId(2));
    const deleted = await t.run('groups', 'delta');
    expect(deleted.counts).toMatchObject({ deleted: 1 });
    expect(sandboxes.pbx.getGroup(supportPbxId)).toBeUndefined();
    expect(await t.services.groupLinks.get(t.tenantId, groupId(2))).toBeNull();
    expect(await t.services.groupMembers.listByGroup(t.tenantId, groupId(2))).toEqual([]);
  });

  it('membership churn applies as single adds and removes; an unchanged tenant costs no PBX request', async () => {
    sandboxes.graph.seed([1, 2, 3, 4, 5].map(user), [group(1, unique('Churn'), [numberedGuid(1), numberedGuid(2)])]);
    const t = await setup({});
    await t.run('groups', 'full');

    sandboxes.graph.addGroupMember(groupId(1), numberedGuid(3));
    sandboxes.graph.addGroupMember(groupId(1), numberedGuid(4));
    sandboxes.graph.removeGroupMember(groupId(1), numberedGuid(1));
    sandboxes.pbx.stats.reset();
    const churn = await t.run('groups', 'delta');
    expect(churn.counts).toMatchObject({ updated: 1 });
    expect(await t.pbxGroupOf(1)).toMatchObject({ members: await t.extensions(2, 3, 4) });
    // Two adds and one remove; no listing, no rebuild.
    expect(sandboxes.pbx.stats.byRoute).toEqual({
      'POST /api/groups/{id}/members/{extension_number}': 2,
      'POST /api/groups/{id}/members/{extension_number}/destroy': 1,
    });

    sandboxes.pbx.stats.reset();
    const quietDelta = await t.run('groups', 'delta');
    expect(quietDelta).toMatchObject({ graphRequests: 1, pbxRequests: 0 });
    const quietFull = await t.run('groups', 'full');
    expect(quietFull.counts).toMatchObject({ unchanged: 1, updated: 0, created: 0 });
    expect(quietFull.pbxRequests).toBe(0);
    expect(sandboxes.pbx.stats.requests).toBe(0);
  });

  it('a full run repairs what an admin changed in a synced group, leaving extensions the connector does not manage', async () => {
    sandboxes.graph.seed([1, 2, 3].map(user), [group(1, unique('Repair'), [numberedGuid(1), numberedGuid(2)])]);
    const t = await setup({});
    await t.run('groups', 'full');
    const pbxId = (await t.services.groupLinks.get(t.tenantId, groupId(1)))!.pbxGroupId!;
    const [ext1, ext2] = await t.extensions(1, 2);
    const ext3 = (await t.extensions(3))[0]!;
    const stranger = sandboxes.pbx.addUser({
      name: `stranger${nameSeq}`,
      extension_number: `7${String(nameSeq).padStart(3, '0')}`,
      email: `s${nameSeq}@x.test`,
    });
    sandboxes.pbx.setGroupMembers(pbxId, [ext2!, ext3, stranger.extension_number]);
    // The stored fingerprint says nothing changed, so the PBX is compared once it is cleared (as after any
    // single add or remove).
    await t.services.groupLinks.put({ ...(await t.services.groupLinks.get(t.tenantId, groupId(1)))!, membersHash: '' });
    const repaired = await t.run('groups', 'full');
    expect(repaired.counts).toMatchObject({ updated: 1 });
    expect(sandboxes.pbx.getGroup(pbxId)!.members.sort()).toEqual([ext1!, ext2!, stranger.extension_number].sort());
  });

  it('nested groups: DIRECT counts only the group’s own users, TRANSITIVE every nested user, following changes deep down', async () => {
    const users = [1, 2, 3, 4].map(user);
    const seed = () =>
      sandboxes.graph.seed(users, [
        group(1, unique('Parent'), [numberedGuid(1), groupId(2)]),
        group(2, unique('Child'), [numberedGuid(2), groupId(3)]),
        group(3, unique('Grandchild'), [numberedGuid(3)]),
      ]);
    seed();
    const direct = await setup({ membership: 'DIRECT' });
    await direct.run('groups', 'full');
    expect((await direct.pbxGroupOf(1))!.members).toEqual(await direct.extensions(1));

    seed();
    const nested = await setup({ membership: 'TRANSITIVE' });
    await nested.run('groups', 'full');
    expect((await nested.pbxGroupOf(1))!.members).toEqual(await nested.extensions(1, 2, 3));
    expect((await nested.pbxGroupOf(2))!.members).toEqual(await nested.extensions(2, 3));

    // A user joins the innermost group: every synced ancestor gains them.
    sandboxes.graph.addGroupMember(groupId(3), numberedGuid(4));
    const deep = await nested.run('groups', 'delta');
    expect(deep.counts).toMatchObject({ updated: 3, failed: 0 });
    expect((await nested.pbxGroupOf(1))!.members).toEqual(await nested.extensions(1, 2, 3, 4));
    expect((await nested.pbxGroupOf(3))!.members).toEqual(await nested.extensions(3, 4));

    // The child leaves the parent: its users leave the parent, except one who is also a direct member.
    sandboxes.graph.addGroupMember(groupId(1), numberedGuid(3));
    sandboxes.graph.removeGroupMember(groupId(1), groupId(2));
    await nested.run('groups', 'delta');
    expect((await nested.pbxGroupOf(1))!.members).toEqual(await nested.extensions(1, 3));
    expect((await nested.pbxGroupOf(2))!.members).toEqual(await nested.extensions(2, 3, 4));
  });

  it('scope: only chosen groups or types are synced; leaving the scope deletes or retains as configured', async () => {
    const kept = unique('Kept');
    sandboxes.graph.seed([1, 2].map(user), [
      group(1, kept, [numberedGuid(1)]),
      group(2, unique('Team'), [numberedGuid(2)], { groupTypes: ['Unified'], mailEnabled: true }),
      group(3, unique('Distribution'), [numberedGuid(2)], { securityEnabled: false, mailEnabled: true }),
    ]);
    const t = await setup({ scope: { mode: 'TYPES', types: ['SECURITY', 'MICROSOFT365'] }, onOutOfScope: 'retain' });
    const first = await t.run('groups', 'full');
    expect(first.counts).toMatchObject({ created: 2, outOfScope: 1 });
    expect(await t.services.groupLinks.get(t.tenantId, groupId(3))).toBeNull();

    // Security groups only, retained: the Microsoft 365 group's PBX group stays, unlinked.
    const teamPbxId = (await t.services.groupLinks.get(t.tenantId, groupId(2)))!.pbxGroupId!;
    const tenant = (await t.services.tenants.get(t.tenantId))!;
    await t.services.tenants.replace(
      t.tenantId,
      { ...tenant.config, groups: { ...tenant.config.groups, scope: { mode: 'TYPES', types: ['SECURITY'] } } },
      tenant.etag,
    );
    const narrowed = await t.run('groups', 'delta');
    expect(narrowed.mode).toBe('full');
    expect(narrowed.counts).toMatchObject({ unlinked: 1, unchanged: 1 });
    expect(sandboxes.pbx.getGroup(teamPbxId)).toBeDefined();
    expect(await t.services.groupLinks.get(t.tenantId, groupId(2))).toBeNull();

    // Chosen groups only, deleted: the security group leaves and its PBX group goes.
    const keptPbxId = (await t.services.groupLinks.get(t.tenantId, groupId(1)))!.pbxGroupId!;
    await t.setGroups({ scope: { mode: 'CHOSEN', groups: [groupId(2)] }, onOutOfScope: 'delete' });
    const chosen = await t.run('groups', 'delta');
    expect(chosen.counts).toMatchObject({ deleted: 1, created: 1 });
    expect(sandboxes.pbx.getGroup(keptPbxId)).toBeUndefined();
    // The retained PBX group keeps its name, so the group coming back is created beside it under a suffix.
    const back = await t.pbxGroupOf(2);
    expect(back!.id).not.toBe(teamPbxId);
    expect(back!.name).toMatch(/\([0-9a-f]{6}\)$/);
    expect(chosen.issues.map((i) => i.code)).toContain('groupNameClash');
  });

  it('never takes over a PBX group it did not create: a clashing name gets a stable suffix, reported', async () => {
    const name = unique('Finance');
    const admins = sandboxes.pbx.addGroup(name);
    sandboxes.graph.seed([1].map(user), [group(1, name, [numberedGuid(1)])]);
    const t = await setup({});
    const run = await t.run('groups', 'full');
    expect(run.issues).toEqual([expect.objectContaining({ objectId: groupId(1), code: 'groupNameClash' })]);
    const ours = await t.pbxGroupOf(1);
    expect(ours!.id).not.toBe(admins.id);
    expect(ours!.name).toMatch(new RegExp(`^${name} \\([0-9a-f]{6}\\)$`));
    expect(sandboxes.pbx.getGroup(admins.id)).toMatchObject({ name, members: [] });
    // Renamed to another admin group's name: the suffix again, reported again.
    const other = unique('Treasury');
    sandboxes.pbx.addGroup(other);
    sandboxes.graph.updateGroup(groupId(1), { displayName: other });
    const renamed = await t.run('groups', 'delta');
    expect(renamed.issues).toEqual([expect.objectContaining({ objectId: groupId(1), action: 'rename', code: 'groupNameClash' })]);
    expect((await t.pbxGroupOf(1))!.name).toMatch(new RegExp(`^${other} \\([0-9a-f]{6}\\)$`));
    // Deleting ours leaves theirs.
    sandboxes.graph.hardDeleteGroup(groupId(1));
    await t.run('groups', 'delta');
    expect(sandboxes.pbx.getGroup(admins.id)).toBeDefined();
    expect(sandboxes.pbx.getGroup(ours!.id)).toBeUndefined();
  });

  it('two Entra groups with one name, created side by side, get two PBX groups with distinct names', async () => {
    const name = unique('Twins');
    sandboxes.graph.seed([user(1), user(2)], [group(1, name, [numberedGuid(1)]), group(2, name, [numberedGuid(2)])]);
    const t = await setup({});
    const run = await t.run('groups', 'full');
    expect(run.counts).toMatchObject({ created: 2, failed: 0 });
    const names = [(await t.pbxGroupOf(1))!.name, (await t.pbxGroupOf(2))!.name].sort();
    expect(names[0]).toBe(name);
    expect(names[1]).toMatch(new RegExp(`^${name} \\([0-9a-f]{6}\\)$`));
    expect(sandboxes.pbx.listGroups().filter((g) => g.name.startsWith(name))).toHaveLength(2);
    expect(run.issues.map((i) => i.code)).toEqual(['groupNameClash']);
  });

  it('a user synced after their groups is placed in them; renumbered and unsynced users move and leave', async () => {
    const late = numberedUser(3, 'Grp', { givenName: null, surname: null, displayName: 'No Name' });
    sandboxes.graph.seed(
      [user(1), user(2), late],
      [group(1, unique('Late'), [numberedGuid(1), numberedGuid(3)]), group(2, unique('Also'), [numberedGuid(3)])],
    );
    const t = await setup({});
    await t.run('groups', 'full');
    expect((await t.pbxGroupOf(1))!.members).toEqual(await t.extensions(1));
    expect((await t.pbxGroupOf(2))!.members).toEqual([]);

    // The user gets a name, the users run links them, its link events reach groups through the inbox.
    sandboxes.graph.updateUser(numberedGuid(3), { givenName: 'Late', surname: 'Comer' });
    await t.run('users', 'delta'); // the groups run it asks for is worked by the queue before idle()
    expect((await t.pbxGroupOf(1))!.members).toEqual(await t.extensions(1, 3));
    expect((await t.pbxGroupOf(2))!.members).toEqual(await t.extensions(3));
    expect(await t.services.linkEventInbox.list(t.tenantId, 'groups')).toEqual([]);

    // The user leaves the sync scope (deleted extension): the groups lose the number.
    sandboxes.graph.hardDeleteUser(numberedGuid(3));
    await t.run('users', 'delta');
    expect((await t.pbxGroupOf(1))!.members).toEqual(await t.extensions(1));
    expect((await t.services.groupMembers.listByUser(t.tenantId, numberedGuid(3))).map((m) => m.extension)).toEqual(['', '']);
  });

  it('a dry run reports what it would do and writes nothing', async () => {
    sandboxes.graph.seed([user(1)], [group(1, unique('Dry'), [numberedGuid(1)])]);
    const t = await setup({});
    const before = sandboxes.pbx.listGroups().length;
    const tenant = (await t.services.tenants.get(t.tenantId))!;
    const context = featureContext(
      t.services,
      tenant,
      await t.services.connectorsFor(tenant),
      tenant.config.groups,
      'groups',
      Logger.silent(),
    );
    const preview = await groupsFeature.sync(context, { mode: 'full', dryRun: true });
    expect(preview.counts).toMatchObject({ created: 1 });
    expect(preview.plannedActions).toEqual([
      expect.objectContaining({ kind: 'create', groupId: groupId(1) }),
      expect.objectContaining({ kind: 'members', groupId: groupId(1), add: await t.extensions(1), remove: [] }),
    ]);
    expect(sandboxes.pbx.listGroups()).toHaveLength(before);
    expect(await t.services.groupLinks.listByTenant(t.tenantId)).toEqual([]);
    expect(await t.services.deltaStates.get(t.tenantId, 'groups')).toBeNull();
  });
});
