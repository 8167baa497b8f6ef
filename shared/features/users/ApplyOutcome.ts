import { type BatchOutcome, addCount } from '../../engine/BatchOutcome';

/** What applying (part of) a users plan did; the engine's batch outcome, under the name the users code knows. */
export type ApplyOutcome = BatchOutcome;
export { addCount };

/**
 * The issue code of an item whose link write was refused because another writer created or changed that
 * user's link meanwhile. Not retried in the run: the user goes to the pending set and is re-read next run.
 */
export const LINK_CONFLICT = 'linkConflict';
