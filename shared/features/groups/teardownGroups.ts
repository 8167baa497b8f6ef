import { ensureError } from '../../core/errors/ensureError';
import { type GroupLink } from '../../engine/GroupLinkStore';
import { type FeatureContext, type FeatureTeardownRequest, type FeatureTeardownResult } from '../Feature';
import { type GroupSyncOptions } from './groupsOptions';

/**
 * The groups feature is paused or the tenant disconnected: every linked PBX group is the connector's (it only
 * ever creates them), so `delete` deletes it and `retain` hands it over with its members as they are. Links and
 * memberships go, and the delta state with them, so a resume starts with a full round. A link whose PBX delete
 * failed is kept, so the group is not forgotten while it still exists.
 */
export async function teardownGroups(
  context: FeatureContext<GroupSyncOptions>,
  request: FeatureTeardownRequest,
): Promise<FeatureTeardownResult> {
  const { tenantId, groupLinks, groupMembers, pbxGroups, log } = context;
  const result: FeatureTeardownResult = { deleted: 0, handedOver: 0, restored: 0, failed: 0, notes: [] };
  const links = await groupLinks.listByTenant(tenantId);
  const deleting = request.pbxRecords === 'delete';
  if (deleting && !pbxGroups && links.length > 0)
    result.notes.push("the tenant's PBX adapter cannot delete groups: they are handed over instead");
  if (request.dryRun) {
    if (deleting && pbxGroups) result.deleted = links.length;
    else result.handedOver = links.length;
    return result;
  }
  let namesOnPbx: Map<string, string> | undefined;
  // A link still `creating` carries only the name the group was created under: the PBX's list finds its id.
  const pbxIdOf = async (link: GroupLink): Promise<string | undefined> => {
    if (link.pbxGroupId) return link.pbxGroupId;
    if (!pbxGroups) return undefined;
    if (!namesOnPbx) {
      namesOnPbx = new Map();
      for await (const page of pbxGroups.listGroups()) for (const group of page) namesOnPbx.set(group.name.toLowerCase(), group.id);
    }
    return namesOnPbx.get(link.pbxName.toLowerCase());
  };
  let firstError: string | undefined;
  for (const link of links) {
    try {
      const pbxGroupId = deleting && pbxGroups ? await pbxIdOf(link) : undefined;
      if (pbxGroupId) await pbxGroups!.deleteGroup(pbxGroupId);
      await groupMembers.deleteMany(tenantId, await groupMembers.listByGroup(tenantId, link.groupId));
      await groupLinks.delete(tenantId, link.groupId);
      if (pbxGroupId) result.deleted += 1;
      else result.handedOver += 1;
    } catch (err) {
      result.failed += 1;
      firstError ??= ensureError(err).message;
    }
  }
  if (firstError !== undefined) {
    result.notes.push(`${result.failed} group(s) could not be let go; their links are kept (first error: ${firstError})`);
    log.warn('groups teardown left links behind', { tenant: tenantId, failed: result.failed });
  }
  // Memberships of users in no linked group (kept so a user synced later is placed) go too.
  if (result.failed === 0) await groupMembers.deleteAllForTenant(tenantId);
  await context.deltaStates.clear(tenantId, 'groups');
  return result;
}
