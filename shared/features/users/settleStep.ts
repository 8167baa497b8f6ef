import { isAppError } from '../../core/errors/AppError';
import { ensureError } from '../../core/errors/ensureError';
import { isRetryable } from '../../core/errors/isRetryable';
import { type ApplyOutcome, addCount } from './ApplyOutcome';
import { type ApplyDeps, type Step } from './applyContext';
import { isLinkConflict } from './linkConflict';

/**
 * Phase 4 of applyUserPlan for one action: its count, or its failure recorded. The pending entry follows
 * the outcome, so a user whose write failed for good is re-read by id every run until it succeeds.
 */
export async function settleStep(deps: ApplyDeps, step: Step, outcome: ApplyOutcome): Promise<void> {
  const { action } = step;
  try {
    if (step.failure === undefined) {
      if (deps.pendingIds.delete(action.objectId)) await deps.pendingUsers.remove(deps.tenantId, action.objectId);
      addCount(outcome, step.count!);
      return;
    }
  } catch (caught) {
    step.failure = caught;
  }
  const err = ensureError(step.failure);
  if (isRetryable(step.failure)) {
    outcome.retryableError ??= err;
    return;
  }
  if (isLinkConflict(step.failure)) await reread(deps, action.objectId);
  const code = (isAppError(step.failure) && (step.failure.upstreamCode ?? step.failure.code)) || 'ERROR';
  addCount(outcome, 'failed');
  outcome.issues.push({
    objectId: action.objectId,
    userPrincipalName: action.userPrincipalName,
    action: action.kind,
    code,
    message: err.message,
  });
  try {
    await deps.pendingUsers.record(deps.tenantId, action.objectId, code, err.message);
    deps.pendingIds.add(action.objectId);
  } catch (recordError) {
    // Without the pending entry this change could be lost once the checkpoint moves: keep the checkpoint.
    outcome.retryableError ??= ensureError(recordError);
  }
}

/** After a conflict the cached link is stale: take the stored one (if none, any later write is a create-if-absent). */
async function reread(deps: ApplyDeps, objectId: string): Promise<void> {
  const current = await deps.links.get(deps.tenantId, objectId).catch(() => null);
  if (current) deps.linkCache.set(objectId, current);
  else deps.linkCache.delete(objectId);
}
