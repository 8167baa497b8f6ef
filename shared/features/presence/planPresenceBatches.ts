import { type LinkedUser } from '../../engine/LinkedUsers';
import { MAX_PRESENCE_IDS_PER_CALL } from '../../graph/PresenceReader';
import { type PollBatchPlan } from '../FeaturePolling';
import { type PresenceOptions } from './presenceOptions';

/** The share of the poll period the batch starts are spread over. */
const SPREAD = 2 / 3;

/**
 * A cycle's batches: the synced users sorted by lower-case object id in runs of at most 650 (one Graph call
 * each, ⌈users / 650⌉ in all), spread evenly across the first two thirds of the poll period so Graph sees a steady trickle rather
 * than a burst, and the cycle ends well within its period. Key ranges cover every possible id (with nobody synced, one empty batch covers them all), so a record of a user no longer synced falls in some batch, which
 * removes it. Each batch re-asserts once every reassertMinutes, the batches of a tenant on different cycles so
 * the PBX reads of re-assertion spread too.
 */
export function planPresenceBatches(
  users: readonly LinkedUser[],
  slot: number,
  options: Pick<PresenceOptions, 'pollSeconds' | 'reassertMinutes'>,
): PollBatchPlan[] {
  const keyOf = (user: LinkedUser) => user.objectId.toLowerCase();
  const sorted = [...users].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  // Nobody synced: one empty batch still runs, to remove the records of users who were.
  const count = Math.max(1, Math.ceil(sorted.length / MAX_PRESENCE_IDS_PER_CALL));
  const period = options.pollSeconds * 1000;
  const reassertEvery = Math.max(1, Math.round((options.reassertMinutes * 60) / options.pollSeconds));
  return Array.from({ length: count }, (_, index) => {
    const batchUsers = sorted.slice(index * MAX_PRESENCE_IDS_PER_CALL, (index + 1) * MAX_PRESENCE_IDS_PER_CALL);
    return {
      index,
      // Spread over the first two thirds of the period: a batch that runs late (a busy PBX, a slow store)
      // still has a third of the cycle to catch up in before the next cycle begins.
      startsAt: new Date(slot * period + Math.floor((index * SPREAD * period) / count)),
      after: index > 0 ? keyOf(sorted[index * MAX_PRESENCE_IDS_PER_CALL - 1]!) : undefined,
      through: index < count - 1 ? keyOf(batchUsers.at(-1)!) : undefined,
      reassert: (slot + index) % reassertEvery === 0,
      users: batchUsers,
    };
  });
}
