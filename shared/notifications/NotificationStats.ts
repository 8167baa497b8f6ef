/**
 * Why a notification item was not acted on:
 * - `invalid`: not the shape of a Graph notification (ids not GUIDs, fields too long, wrong types…);
 * - `unknownSubscription`: not in our subscription table (read now, or remembered as unknown);
 * - `clientStateMismatch`, `tenantMismatch`: ours by id, but not by secret or directory;
 * - `readLimit`: its id was past the request's share of table reads (`maxReadsPerRequest`);
 * - `overloaded`: the process-wide budget for reading unknown ids was used up at that moment;
 * - `lookupFailed`: the table read failed or timed out (the request is answered 503, Graph delivers again).
 */
export type DropReason =
  'invalid' | 'unknownSubscription' | 'clientStateMismatch' | 'tenantMismatch' | 'readLimit' | 'overloaded' | 'lookupFailed';

export const DROP_REASONS: readonly DropReason[] = [
  'invalid',
  'unknownSubscription',
  'clientStateMismatch',
  'tenantMismatch',
  'readLimit',
  'overloaded',
  'lookupFailed',
];

/** What the notification endpoints did since the process started (logged; shown by the status API). */
export interface NotificationStats {
  received: number;
  accepted: number;
  jobsEnqueued: number;
  lifecycleEvents: number;
  dropped: Record<DropReason, number>;
  /** Batches answered 503 so Graph delivers them again (a read failed, or capacity ran out). */
  retriesAsked: number;
  /** Per-batch drop lines not written because of the log-rate cap (their counts are still in `dropped`). */
  dropLinesSuppressed: number;
}

export function emptyNotificationStats(): NotificationStats {
  return {
    received: 0,
    accepted: 0,
    jobsEnqueued: 0,
    lifecycleEvents: 0,
    dropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
    retriesAsked: 0,
    dropLinesSuppressed: 0,
  };
}
