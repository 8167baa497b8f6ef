import { AppError, isAppError } from '../../core/errors/AppError';
import { LINK_CONFLICT } from './ApplyOutcome';

/**
 * A link write refused because another writer touched the user becomes this run's `linkConflict` failure:
 * retrying it in the run would overwrite the other writer's change.
 */
export async function linkWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw asLinkConflict(err);
  }
}

export function asLinkConflict(err: unknown): unknown {
  if (!isAppError(err, 'CONFLICT') && !isAppError(err, 'PRECONDITION_FAILED')) return err;
  return new AppError('CONFLICT', "another writer changed this user's link meanwhile; it is re-read and synced on the next run", {
    cause: err,
    upstreamCode: LINK_CONFLICT,
  });
}

export function isLinkConflict(err: unknown): boolean {
  return isAppError(err, 'CONFLICT') && err.upstreamCode === LINK_CONFLICT;
}
