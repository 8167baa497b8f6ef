import { describe, expect, it } from 'vitest';
import { processSyncJob } from '../../../../shared/app/processSyncJob';
import { type Services } from '../../../../shared/app/Services';
import { newRunId } from '../../../../shared/engine/newRunId';
import { type SyncRun } from '../../../../shared/engine/RunStore';
import { Logger } from '../../../../shared/core/logging/Logger';
import { featureSyncJob } from '../../../../shared/app/jobs/featureSyncJob';
import { usersManifest } from '../../../../shared/features/users/usersManifest';
import { usersFeature } from '../../../../shared/features/users/usersFeature';
import { UserSyncOptionsSchema } from '../../../../shared/features/users/usersOptions';
import { createSandboxTenant } from '../../../support/sandboxTenant';
import { numberedGuid, numberedUser } from '../../../support/numberedUser';
import { useSandboxes } from '../../../support/useSandboxes';

const sandboxes = useSandboxes();
const SCOPE = '20000000-0000-4000-8000-000000000001';
const TEAM = '20000000-0000-4000-8000-000000000002';
const OTHER = '20000000-0000-4000-8000-000000000003';
const u = (n: number) => numberedGuid(n);

let services: Services;
let tenantId: string;
let tenantSeq = 0;

async function sync(mode: 'full' | 'delta' = 'delta'): Promise<SyncRun> {
  const runId = newRunId();
  sandboxes.graph.stats.reset();
  await processSyncJob(services, featureSyncJob(usersManifest, { tenantId, runId, mode, trigger: 'manual' }), Logger.silent());
  const run = (await services.runs.get(tenantId, runId))!;
  expect(run.status).toBe('succeeded');
  return run;
}

const pbxUserOf = async (n: number) => {
  const link = await services.links.get(tenantId, u(n));
  return link?.pbxUserId ? sandboxes.pbx.getUser(link.pbxUserId) : undefined;
};
/** Member listings of whole groups the last run made (the expensive way to know the scope). */
const memberListings = () =>
  Object.entries(sandboxes.graph.stats.byRoute)
    .filter(([route]) => route.includes('/transitiveMembers'))
    .reduce((sum, [, n]) => sum + n, 0);

describe('users GROUPS scope follows group membership changes', () => {
  it('joiners, leavers and rejoiners — directly or through a nested group — without reading every member each run', async () => {
    sandboxes.graph.seed(
      [1, 2, 3, 4, 5, 6].map((n) => numberedUser(n, 'Scope')),
      [
        { id: SCOPE, displayName: 'Synced', memberIds: [u(1), u(2), TEAM] },
        { id: TEAM, displayName: 'Team', memberIds: [u(3)] },
        { id: OTHER, displayName: 'Other', memberIds: [u(4)] },
      ],
    );
    tenantId = `scope${++tenantSeq}`;
    services = (await createSandboxTenant(sandboxes, tenantId, { scope: { mode: 'GROUPS', groups: [SCOPE] }, onOutOfScope: 'disable' }))
      .services;
    const first = await sync('full');
    expect(first.counts).toMatchObject({ created: 3 });
    expect(memberListings()).toBe(1);

    // Nothing changed: the users round and the groups round, one request each, and no member listing.
    const quiet = await sync();
    expect(quiet.graphRequests).toBe(2);
    expect(memberListings()).toBe(0);

    // A user joins the nested group: found from the groups round, checked alone, created.
    sandboxes.graph.addGroupMember(TEAM, u(5));
    const joined = await sync();
    expect(joined.counts).toMatchObject({ created: 1 });
    expect((await pbxUserOf(5))?.enabled).toBe(true);
    expect(memberListings()).toBe(0);
    expect(sandboxes.graph.stats.byRoute['GET /users/{id}/transitiveMemberOf/microsoft.graph.group']).toBe(1);

    // A change in a group outside the scope is checked and changes nothing.
    sandboxes.graph.addGroupMember(OTHER, u(6));
    const unrelated = await sync();
    expect(unrelated.counts).toMatchObject({ created: 0, disabled: 0 });
    expect(await services.links.get(tenantId, u(6))).toBeNull();

    // A user leaves: disabled (onOutOfScope); back in: enabled again.
    sandboxes.graph.removeGroupMember(SCOPE, u(1));
    expect((await sync()).counts).toMatchObject({ disabled: 1 });
    expect((await pbxUserOf(1))?.enabled).toBe(false);
    sandboxes.graph.addGroupMember(SCOPE, u(1));
    expect((await sync()).counts).toMatchObject({ updated: 1 });
    expect((await pbxUserOf(1))?.enabled).toBe(true);

    // A user who is a member and changes is planned with the right scope.
    sandboxes.graph.updateUser(u(2), { department: 'Moved' });
    sandboxes.graph.updateUser(u(4), { department: 'Moved' });
    const edited = await sync();
    expect(edited.counts).toMatchObject({ updated: 1, created: 0 });
    expect((await pbxUserOf(2))?.department).toBe('Moved');

    // The nested group leaves the scope group: who left is not in the groups round, so every member is read.
    sandboxes.graph.removeGroupMember(SCOPE, TEAM);
    const nesting = await sync();
    expect(nesting.counts).toMatchObject({ disabled: 2 });
    expect(memberListings()).toBe(1);
    expect((await pbxUserOf(3))?.enabled).toBe(false);
    expect((await pbxUserOf(5))?.enabled).toBe(false);
  });

  it('subscribes to groups as well as users while the scope is GROUPS', () => {
    const groupsScope = UserSyncOptionsSchema.parse({ scope: { mode: 'GROUPS', groups: [SCOPE] } });
    expect(usersFeature.subscriptions(groupsScope).map((s) => s.graphResource)).toEqual(['users', 'groups']);
    expect(usersFeature.subscriptions(UserSyncOptionsSchema.parse({})).map((s) => s.graphResource)).toEqual(['users']);
  });
});
