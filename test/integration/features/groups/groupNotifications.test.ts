import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateUsers } from '../../../../sandbox/graph';
import { type NotificationRig, startNotificationRig } from '../../../../sandbox/notificationRig';
import { testStorageConnectionString, uniqueTablePrefix } from '../../../support/storage';

const users = generateUsers(12, { seed: 11 });
const SALES = '30000000-0000-4000-8000-000000000001';
const SUPPORT = '30000000-0000-4000-8000-000000000002';

let rig: NotificationRig;

beforeAll(async () => {
  rig = await startNotificationRig({
    storageConnectionString: testStorageConnectionString(),
    tablePrefix: uniqueTablePrefix(),
    users,
    groups: [
      { id: SALES, displayName: 'Notified Sales', memberIds: [users[0]!.id, users[1]!.id] },
      { id: SUPPORT, displayName: 'Notified Support', memberIds: [users[2]!.id] },
    ],
    groupsOptions: {},
    debounceMs: 100,
  });
});
afterAll(async () => {
  await rig?.stop();
});

const extensionOf = async (index: number) => (await rig.services.links.get(rig.tenantId, users[index]!.id))?.extensionNumber;
const pbxGroup = async (groupId: string) => {
  const link = await rig.services.groupLinks.get(rig.tenantId, groupId);
  return link?.pbxGroupId ? rig.pbx.getGroup(link.pbxGroupId) : undefined;
};
const membersOf = async (groupId: string) => [...((await pbxGroup(groupId))?.members ?? [])].sort();
const extensionsOf = async (...indexes: number[]) => (await Promise.all(indexes.map(extensionOf))).sort();

describe('groups follow change notifications end to end (sandbox Graph → webhook → queue → groups run → sandbox PBX)', () => {
  it('the groups were created after the users were linked, and both features are subscribed', async () => {
    await vi.waitFor(async () => expect(await membersOf(SALES)).toEqual(await extensionsOf(0, 1)), { timeout: 10_000, interval: 50 });
    expect(await membersOf(SUPPORT)).toEqual(await extensionsOf(2));
    const subscribed = (await rig.services.subscriptions.listForTenant(rig.tenantId)).map((s) => `${s.resource}:${s.graphResource}`);
    expect(subscribed.sort()).toEqual(['groups:groups', 'users:users']);
  });

  it('a membership change, a rename, a new group and a deletion reach the PBX within seconds, with no manual trigger', async () => {
    const started = performance.now();
    rig.graph.addGroupMember(SALES, users[3]!.id);
    rig.graph.removeGroupMember(SALES, users[0]!.id);
    await vi.waitFor(async () => expect(await membersOf(SALES)).toEqual(await extensionsOf(1, 3)), { timeout: 5_000, interval: 25 });
    expect(performance.now() - started).toBeLessThan(5_000);

    rig.graph.updateGroup(SUPPORT, { displayName: 'Notified Help Desk' });
    await vi.waitFor(async () => expect((await pbxGroup(SUPPORT))?.name).toBe('Notified Help Desk'), { timeout: 5_000, interval: 25 });

    const NEW = '30000000-0000-4000-8000-000000000003';
    rig.graph.addGroup({ id: NEW, displayName: 'Notified New', memberIds: [users[4]!.id, users[5]!.id] });
    await vi.waitFor(async () => expect(await membersOf(NEW)).toEqual(await extensionsOf(4, 5)), { timeout: 5_000, interval: 25 });

    const pbxId = (await rig.services.groupLinks.get(rig.tenantId, NEW))!.pbxGroupId!;
    rig.graph.hardDeleteGroup(NEW);
    await vi.waitFor(() => expect(rig.pbx.getGroup(pbxId)).toBeUndefined(), { timeout: 5_000, interval: 25 });

    const runs = await rig.services.runs.list(rig.tenantId, 50);
    const groupRuns = runs.filter((r) => r.feature === 'groups' && r.trigger === 'notification');
    expect(groupRuns.length).toBeGreaterThan(0);
    // The last one may still be running (the deletion's notification can arrive twice: updated, then deleted).
    expect(groupRuns.every((r) => r.status !== 'failed' && r.status !== 'partial' && r.mode === 'delta')).toBe(true);
  });

  it('a new user who is already in a group is placed in it once the users run links them', async () => {
    const newcomer = { ...generateUsers(1, { seed: 99 })[0]!, id: '30000000-0000-4000-8000-0000000000aa' };
    rig.graph.addUser(newcomer);
    rig.graph.addGroupMember(SUPPORT, newcomer.id);
    await vi.waitFor(
      async () => {
        const link = await rig.services.links.get(rig.tenantId, newcomer.id);
        expect(link?.extensionNumber).toBeDefined();
        expect(await membersOf(SUPPORT)).toContain(link!.extensionNumber);
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});
