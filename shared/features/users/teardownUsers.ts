import { ensureError } from '../../core/errors/ensureError';
import { runWithConcurrency } from '../../engine/runWithConcurrency';
import { type UserLink } from '../../engine/LinkStore';
import { type FeatureContext, type FeatureTeardownRequest, type FeatureTeardownResult } from '../Feature';
import { SCOPE_GROUPS_RESOURCE } from './ScopeMembership';
import { type UserSyncOptions } from './usersOptions';

/** What becomes of one link when the users feature is torn down. */
export type UserTeardownStep = 'delete' | 'handOver' | 'forget';

/**
 * Pure: `delete` deletes only what the connector created; an adopted extension existed before the connector and
 * goes back to the PBX admin as it is. A reservation whose create never finished (`creating`, no PBX id) has
 * nothing the connector can name on the PBX: its link is forgotten.
 */
export function userTeardownStep(link: Pick<UserLink, 'origin' | 'pbxUserId'>, pbxRecords: 'delete' | 'retain'): UserTeardownStep {
  if (!link.pbxUserId) return 'forget';
  return pbxRecords === 'delete' && link.origin === 'created' ? 'delete' : 'handOver';
}

/**
 * The users feature is paused or the tenant disconnected: extensions the connector created are deleted (`delete`)
 * or handed over (`retain`), adopted ones are always handed over; the kept portal password of each goes (the
 * connector no longer acts as them). The links, pending users and delta state go, so a resume starts with a full
 * round. A link whose PBX delete failed is kept, so the extension is not forgotten while it still exists.
 */
export async function teardownUsers(
  context: FeatureContext<UserSyncOptions>,
  request: FeatureTeardownRequest,
): Promise<FeatureTeardownResult> {
  const { tenantId, links, pbx, log } = context;
  const result: FeatureTeardownResult = { deleted: 0, handedOver: 0, restored: 0, failed: 0, notes: [] };
  const all = await links.listByTenant(tenantId);
  const forgotten = all.filter((link) => userTeardownStep(link, request.pbxRecords) === 'forget').length;
  if (forgotten > 0) result.notes.push(`${forgotten} reservation(s) whose PBX create never finished: forgotten`);
  if (request.dryRun) {
    for (const link of all) {
      const step = userTeardownStep(link, request.pbxRecords);
      if (step === 'delete') result.deleted += 1;
      else if (step === 'handOver') result.handedOver += 1;
    }
    return result;
  }
  const failures: string[] = [];
  await runWithConcurrency(all, context.concurrency, async (link) => {
    const step = userTeardownStep(link, request.pbxRecords);
    try {
      if (step === 'delete') await pbx.deleteUser(link.pbxUserId!);
      await pbx.releaseUser?.(link.pbxUserName);
      await links.delete(tenantId, link.objectId);
      if (step === 'delete') result.deleted += 1;
      else if (step === 'handOver') result.handedOver += 1;
    } catch (err) {
      result.failed += 1;
      failures.push(ensureError(err).message);
    }
  });
  if (failures.length > 0) {
    result.notes.push(`${failures.length} extension(s) could not be let go; their links are kept (first error: ${failures[0]})`);
    log.warn('users teardown left links behind', { tenant: tenantId, failed: failures.length });
  }
  for (const pending of await context.pendingUsers.list(tenantId)) await context.pendingUsers.remove(tenantId, pending.objectId);
  await context.deltaStates.clear(tenantId, 'users');
  await context.deltaStates.clear(tenantId, SCOPE_GROUPS_RESOURCE);
  return result;
}
