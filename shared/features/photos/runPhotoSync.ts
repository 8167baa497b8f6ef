import { createHash } from 'node:crypto';
import { ensureError } from '../../core/errors/ensureError';
import { isAppError } from '../../core/errors/AppError';
import { isRetryable } from '../../core/errors/isRetryable';
import { countRunRequests, type FeatureRunResult, startFeatureRunResult } from '../../engine/FeatureRunResult';
import { type LinkedUser } from '../../engine/LinkedUsers';
import { type PhotoState } from '../../engine/PhotoStateStore';
import { MAX_RUN_ISSUES, type RunCounts } from '../../engine/RunStore';
import { runWithConcurrency } from '../../engine/runWithConcurrency';
import { type PbxAvatars } from '../../pbx/ports/PbxAvatars';
import { type FeatureContext } from '../Feature';
import { actAsUser, describeNoUserAccess } from '../../engine/actAsUser';
import { requirePort } from '../../engine/requirePort';
import { type PhotoSyncOptions } from './photosOptions';

const FEATURE = 'photos';

/** What one user's check came to. */
type PhotoOutcome = {
  count: keyof RunCounts;
  state?: PhotoState | undefined;
  change?: 'set' | 'removed' | undefined;
  skip?: string | undefined;
  message?: string | undefined;
};

/**
 * One photos run. A full run checks every synced user's photo by its ETag (one Graph request when it did not
 * change); a delta run (after the users feature linked someone) only users checked never before. A changed
 * ETag whose picture hashes the same costs no PBX write; a removed photo removes the PBX picture the
 * connector set. Pictures are set as the user (PortSIP), so users the connector cannot act as are reported.
 */
export async function runPhotoSync(
  context: FeatureContext<PhotoSyncOptions>,
  request: { mode: 'full' | 'delta'; dryRun: boolean },
): Promise<FeatureRunResult> {
  const avatars = requirePort(context.pbxAvatars, 'user pictures', context.pbxProfile.productName);
  const result = startFeatureRunResult(request);
  const counted = countRunRequests(context.mailboxReader, context.pbx);
  const states = new Map((await context.photoStates.listByTenant(context.tenantId)).map((s) => [s.objectId.toLowerCase(), s]));
  const linked = await context.linkedUsers.list();
  const users = request.mode === 'full' ? linked : linked.filter((u) => !states.has(u.objectId.toLowerCase()));
  let retryable: Error | undefined;

  await runWithConcurrency(users, context.options.concurrency, async (user) => {
    result.itemsRead += 1;
    try {
      const outcome = await checkUser(context, avatars, user, states.get(user.objectId.toLowerCase()), request.dryRun);
      record(context, result, user, outcome);
      if (outcome.state && !request.dryRun) await context.photoStates.put(outcome.state);
    } catch (caught) {
      const err = ensureError(caught);
      if (isRetryable(err)) retryable ??= err;
      else record(context, result, user, { count: 'failed', message: err.message, skip: isAppError(err) ? err.code : 'UNKNOWN' });
    }
  });
  if (retryable) throw retryable;
  if (request.mode === 'full' && !request.dryRun) {
    const ids = new Set(linked.map((u) => u.objectId.toLowerCase()));
    for (const [objectId] of states) if (!ids.has(objectId)) await context.photoStates.delete(context.tenantId, objectId);
  }
  return counted(result);
}

async function checkUser(
  context: FeatureContext<PhotoSyncOptions>,
  avatars: PbxAvatars,
  user: LinkedUser,
  state: PhotoState | undefined,
  dryRun: boolean,
): Promise<PhotoOutcome> {
  const check = await context.mailboxReader.checkPhoto(user.objectId, state?.etag || undefined);
  const now = new Date().toISOString();
  const account = { id: user.pbxUserId, userName: user.pbxUserName };
  const stateOf = (etag: string, imageHash: string): PhotoState => ({
    tenantId: context.tenantId,
    objectId: user.objectId,
    etag,
    imageHash,
    updatedAt: now,
  });
  const deps = { portalAccess: context.pbxPortalAccess, manageUserPasswords: context.manageUserPasswords };
  switch (check.kind) {
    case 'unchanged':
      return { count: 'unchanged' };
    case 'none': {
      // Never set by us (no record, or removed already): the PBX picture is someone else's business.
      if (!state || state.imageHash === '') return { count: 'unchanged', state: state ? undefined : stateOf('', '') };
      if (dryRun) return { count: 'updated', change: 'removed' };
      const done = await actAsUser(deps, user, () => avatars.removeAvatar(account));
      return done.ok ? { count: 'updated', change: 'removed', state: stateOf('', '') } : noAccess(done.reason);
    }
    case 'photo': {
      const imageHash = createHash('sha256').update(check.image.bytes).digest('hex');
      if (state?.imageHash === imageHash) return { count: 'unchanged', state: stateOf(check.etag, imageHash) };
      if (dryRun) return { count: 'updated', change: 'set' };
      const done = await actAsUser(deps, user, () => avatars.setAvatar(account, check.image));
      return done.ok ? { count: 'updated', change: 'set', state: stateOf(check.etag, imageHash) } : noAccess(done.reason);
    }
  }
}

function noAccess(reason: Parameters<typeof describeNoUserAccess>[0]): PhotoOutcome {
  return { count: 'skipped', skip: `noUserAccess.${reason}`, message: describeNoUserAccess(reason) };
}

function record(context: FeatureContext<unknown>, result: FeatureRunResult, user: LinkedUser, outcome: PhotoOutcome): void {
  result.counts[outcome.count] += 1;
  const base = { feature: FEATURE, sourceId: user.objectId, extension: user.extensionNumber, pbxId: user.pbxUserId };
  if (outcome.count === 'updated') {
    context.changes?.add({ ...base, outcome: 'updated', fields: [outcome.change === 'removed' ? 'avatarRemoved' : 'avatar'] });
    result.plannedActions?.push({ kind: outcome.change, objectId: user.objectId });
  } else if (outcome.count === 'skipped' || outcome.count === 'failed') {
    const code = outcome.skip ?? 'UNKNOWN';
    if (outcome.count === 'skipped') result.skippedByReason[code] = (result.skippedByReason[code] ?? 0) + 1;
    if (result.issues.length < MAX_RUN_ISSUES)
      result.issues.push({
        objectId: user.objectId,
        action: outcome.count === 'skipped' ? 'skip' : 'photo',
        code,
        message: outcome.message ?? '',
      });
    context.changes?.add(
      outcome.count === 'skipped'
        ? { ...base, outcome: 'skipped', reason: code }
        : { ...base, outcome: 'failed', code, message: outcome.message ?? '' },
    );
  }
}
