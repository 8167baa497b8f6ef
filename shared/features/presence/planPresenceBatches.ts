import { type LinkedUser } from '../../engine/LinkedUsers';
import { MAX_PRESENCE_IDS_PER_CALL } from '../../graph/PresenceReader';
import { type PresenceOptions } from './presenceOptions';

/** One planned batch of a presence cycle. */
export interface PlannedPresenceBatch {
  index: number;
  /** When its job should run: spread evenly across the cycle from the slot's start. */
  startsAt: Date;
  /** Presence records after this key (exclusive) belong to the batch; undefined: from the first. */
  after: string | undefined;
  /** …through this key (inclusive); undefined: to the last. */
  through: string | undefined;
  reassert: boolean;
  users: LinkedUser[];
}

/**
 * A cycle's batches: the synced users sorted by lower-case object id in runs of at most 650 (one Graph call
 * each, ⌈users / 650⌉ in all), spread evenly across the poll period so Graph sees a steady trickle rather than a
 * burst. Key ranges cover every possible id, so a record of a user no longer synced falls in some batch, which
 * removes it. Each batch re-asserts once every reassertMinutes, the batches of a tenant on different cycles so
 * the PBX reads of re-assertion spread too.
 */
export function planPresenceBatches(
  users: readonly LinkedUser[],
  slot: number,
  options: Pick<PresenceOptions, 'pollSeconds' | 'reassertMinutes'>,
): PlannedPresenceBatch[] {
  const keyOf = (user: LinkedUser) => user.objectId.toLowerCase();
  const sorted = [...users].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const count = Math.ceil(sorted.length / MAX_PRESENCE_IDS_PER_CALL);
  const period = options.pollSeconds * 1000;
  const reassertEvery = Math.max(1, Math.round((options.reassertMinutes * 60) / options.pollSeconds));
  return Array.from({ length: count }, (_, index) => {
    const batchUsers = sorted.slice(index * MAX_PRESENCE_IDS_PER_CALL, (index + 1) * MAX_PRESENCE_IDS_PER_CALL);
    return {
      index,
      startsAt: new Date(slot * period + Math.floor((index * period) / count)),
      after: index > 0 ? keyOf(sorted[index * MAX_PRESENCE_IDS_PER_CALL - 1]!) : undefined,
      through: index < count - 1 ? keyOf(batchUsers.at(-1)!) : undefined,
      reassert: (slot + index) % reassertEvery === 0,
      users: batchUsers,
    };
  });
}
