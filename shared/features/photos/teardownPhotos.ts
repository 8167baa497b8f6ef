import { ensureError } from '../../core/errors/ensureError';
import { actAsUser } from '../../engine/actAsUser';
import { type LinkedUser } from '../../engine/LinkedUsers';
import { type PhotoState } from '../../engine/PhotoStateStore';
import { runWithConcurrency } from '../../engine/runWithConcurrency';
import { type NoUserAccessReason } from '../../pbx/ports/PortalPasswords';
import { type FeatureContext, type FeatureTeardownRequest, type FeatureTeardownResult } from '../Feature';
import { type PhotoSyncOptions } from './photosOptions';

/** What becomes of one photo state when the photos feature is torn down. */
export type PhotoTeardownStep = 'delete' | 'handOver' | 'forget';

/**
 * Pure. A state without a picture hash records that the connector set no picture (the user had none, or it
 * removed the one it set): nothing on the PBX is the connector's, so the state is only forgotten. A picture it
 * set is removed when `removable` (`delete` asked, the port there, the user reachable), else handed over.
 */
export function photoTeardownStep(state: Pick<PhotoState, 'imageHash'>, removable: boolean): PhotoTeardownStep {
  if (state.imageHash === '') return 'forget';
  return removable ? 'delete' : 'handOver';
}

/**
 * The photos feature is paused or the tenant disconnected: each PBX picture the connector set is removed
 * (`delete`, as the user: see actAsUser) or handed over (`retain`). A user the connector cannot act as, or who is
 * no longer synced, keeps theirs: handed over, and the notes say so. The photo states go, so a resume checks
 * every photo again; the state of a picture whose removal failed is kept, so it is not forgotten while it is
 * still there.
 */
export async function teardownPhotos(
  context: FeatureContext<PhotoSyncOptions>,
  request: FeatureTeardownRequest,
): Promise<FeatureTeardownResult> {
  const { tenantId, photoStates, log } = context;
  const avatars = context.pbxAvatars;
  const result: FeatureTeardownResult = { deleted: 0, handedOver: 0, restored: 0, failed: 0, notes: [] };
  const deleting = request.pbxRecords === 'delete';
  const states = await photoStates.listByTenant(tenantId);
  const synced = new Map<string, LinkedUser>();
  if (deleting && avatars) for (const user of await context.linkedUsers.list()) synced.set(user.objectId.toLowerCase(), user);
  let unsynced = 0;
  const noAccess = new Map<NoUserAccessReason, number>();
  const refused = (reason: NoUserAccessReason): 'handOver' => {
    noAccess.set(reason, (noAccess.get(reason) ?? 0) + 1);
    return 'handOver';
  };
  let firstError: string | undefined;
  const deps = { portalAccess: context.pbxPortalAccess, manageUserPasswords: context.manageUserPasswords };

  // As many users side by side as the sync checks.
  await runWithConcurrency(states, context.options.concurrency, async (state) => {
    const user = synced.get(state.objectId.toLowerCase());
    let step = photoTeardownStep(state, deleting && avatars !== undefined && user !== undefined);
    if (step === 'handOver' && deleting && avatars && !user) unsynced += 1;
    // The one refusal known without signing in; a refused password shows only when acting.
    if (step === 'delete' && user!.origin === 'adopted') step = refused('adopted');
    if (request.dryRun) {
      count(result, step);
      return;
    }
    try {
      if (step === 'delete') {
        const done = await actAsUser(deps, user!, () => avatars!.removeAvatar({ id: user!.pbxUserId, userName: user!.pbxUserName }));
        if (!done.ok) step = refused(done.reason);
      }
      await photoStates.delete(tenantId, state.objectId);
      count(result, step);
    } catch (err) {
      result.failed += 1;
      firstError ??= ensureError(err).message;
    }
  });

  const pictures = states.filter((state) => state.imageHash !== '').length;
  if (deleting && !avatars && pictures > 0)
    result.notes.push("the tenant's PBX adapter cannot remove pictures: they are handed over instead");
  if (unsynced > 0) result.notes.push(`${unsynced} picture(s) of users no longer synced: handed over`);
  if (noAccess.size > 0) {
    const reasons = [...noAccess].map(([reason, n]) => `${reason}: ${n}`).join(', ');
    const users = [...noAccess.values()].reduce((sum, n) => sum + n, 0);
    result.notes.push(`the connector cannot act as ${users} user(s) (${reasons}): their pictures are handed over`);
  }
  if (firstError !== undefined) {
    result.notes.push(`${result.failed} picture(s) could not be let go; their photo states are kept (first error: ${firstError})`);
    log.warn('photos teardown left photo states behind', { tenant: tenantId, failed: result.failed });
  }
  return result;
}

function count(result: FeatureTeardownResult, step: PhotoTeardownStep): void {
  if (step === 'delete') result.deleted += 1;
  else if (step === 'handOver') result.handedOver += 1;
}
