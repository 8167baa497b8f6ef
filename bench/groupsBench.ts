import { type SandboxGroup } from '../sandbox/graph';
import { seededGuid, seededRandom } from '../sandbox/graph/seededRandom';
import { groupsManifest } from '../shared/features/groups/groupsManifest';
import { GroupSyncOptionsSchema } from '../shared/features/groups/groupsOptions';
import { usersManifest } from '../shared/features/users/usersManifest';
import { measureFeatureRun } from './measureFeatureRun';
import { ask, type SandboxStats, startSandboxRig } from './sandboxRig';

export interface GroupsBenchOptions {
  groups: number;
  memberships: number;
  /** Directory users synced before the groups runs (the pool members are drawn from). */
  users: number;
  pbxRate: number;
}

/**
 * `groups` Entra groups holding `memberships` memberships of the synced users, sized like a directory's: a
 * few large department groups and many small teams (group k of n gets a share 1/k of the total, Zipf), each
 * at least one member and at most every user. Members are drawn without repetition per group from a seeded
 * generator, so the same options give the same tenant.
 */
export function generateGroups(memberPool: readonly string[], groups: number, memberships: number): SandboxGroup[] {
  if (memberships < groups || memberships > groups * memberPool.length)
    throw new Error(`${memberships} memberships do not fit ${groups} groups of 1 to ${memberPool.length} synced users`);
  const random = seededRandom(7);
  const weights = Array.from({ length: groups }, (_, k) => 1 / (k + 1));
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const sizes = weights.map((w) => Math.min(memberPool.length, Math.max(1, Math.floor((memberships * w) / totalWeight))));
  // Rounding down leaves a remainder: one more member each for the largest groups that still have room.
  let missing = memberships - sizes.reduce((sum, size) => sum + size, 0);
  for (let k = 0; missing > 0; k = (k + 1) % groups) {
    if (sizes[k]! < memberPool.length) {
      sizes[k]! += 1;
      missing -= 1;
    }
  }
  const pool = [...memberPool];
  return sizes.map((size, k) => {
    // A partial Fisher–Yates shuffle: the first `size` slots become a uniform sample without repetition.
    for (let i = 0; i < size; i += 1) {
      const j = i + Math.floor(random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return { id: seededGuid(random), displayName: `Bench group ${String(k + 1).padStart(3, '0')}`, memberIds: pool.slice(0, size) };
  });
}

/**
 * The groups bench: syncs `users` sandbox users (not measured), adds the generated groups of the users that
 * were synced to the sandbox Graph tenant, turns groups on and measures the first groups run, a no-change
 * delta re-run and a no-change full re-run. Groups stay off until then, so the users run's link events
 * cannot start a groups run of their own (the bench's queue is never started anyway).
 */
export async function runGroupsBench(options: GroupsBenchOptions): Promise<void> {
  const { pbxRate } = options;
  const rig = await startSandboxRig({
    users: options.users,
    pbxRate,
    configure: (config) => {
      config.groups = GroupSyncOptionsSchema.parse({ enabled: false });
    },
  });
  try {
    const users = await measureFeatureRun(rig, usersManifest, `users sync, ${options.users} users (setup)`, 'full');
    const synced = (await rig.services.links.listByTenant(rig.tenantId)).filter((link) => link.state === 'active');
    const memberPool = synced.map((link) => link.objectId).sort();
    const groups = generateGroups(memberPool, options.groups, options.memberships);
    await ask(rig.sandbox, { cmd: 'addGroups', groups });
    const tenant = (await rig.services.tenants.get(rig.tenantId))!;
    const enabled = GroupSyncOptionsSchema.parse({ ...tenant.config.groups, enabled: true });
    await rig.services.tenants.replace(rig.tenantId, { ...tenant.config, groups: enabled }, tenant.etag);

    const memberships = groups.reduce((sum, group) => sum + group.memberIds.length, 0);
    const first = await measureFeatureRun(
      rig,
      groupsManifest,
      `first groups run, ${groups.length} groups, ${memberships} memberships`,
      'full',
    );
    const afterFirst = await ask<SandboxStats>(rig.sandbox, { cmd: 'stats' });
    const delta = await measureFeatureRun(rig, groupsManifest, 're-run, no change (delta)', 'delta');
    const full = await measureFeatureRun(rig, groupsManifest, 're-run, no change (full)', 'full');

    // The expectations the feature is built to: warnings, so the numbers are still reported when one fails.
    const warnings: string[] = [];
    if (first.status !== 'succeeded') warnings.push(`the first run ended ${first.status}`);
    if (afterFirst.pbxGroups !== groups.length || afterFirst.pbxGroupMembers !== memberships)
      warnings.push(
        `the PBX holds ${afterFirst.pbxGroups} groups with ${afterFirst.pbxGroupMembers} members, not ${groups.length} with ${memberships}`,
      );
    if (delta.graphRequests !== 1 || delta.pbxRequests !== 0)
      warnings.push(`the no-change delta re-run made ${delta.graphRequests} Graph and ${delta.pbxRequests} PBX requests, not 1 and 0`);
    if (full.pbxRequests !== 0) warnings.push(`the no-change full re-run made ${full.pbxRequests} PBX requests, not 0`);
    for (const warning of warnings) console.error(`WARNING groups bench: ${warning}`);

    const setup = { users: options.users, synced: memberPool.length, usersRunSeconds: users.wallSeconds };
    const results = [{ ...first, pbxRequestsByRoute: afterFirst.pbxByRoute }, delta, full];
    console.log(
      JSON.stringify(
        { groups: groups.length, memberships, pbxRateLimitPerMinute: pbxRate, setup, node: process.version, results, warnings },
        null,
        2,
      ),
    );
  } finally {
    await rig.stop();
  }
}
