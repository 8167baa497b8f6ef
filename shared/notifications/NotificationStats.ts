/** Why a notification item was not acted on. */
export type DropReason = 'invalid' | 'unknownSubscription' | 'clientStateMismatch' | 'tenantMismatch';

/** What the notification endpoints did since the process started (logged; shown by the status API). */
export interface NotificationStats {
  received: number;
  accepted: number;
  jobsEnqueued: number;
  lifecycleEvents: number;
  dropped: Record<DropReason, number>;
}

export function emptyNotificationStats(): NotificationStats {
  return {
    received: 0,
    accepted: 0,
    jobsEnqueued: 0,
    lifecycleEvents: 0,
    dropped: { invalid: 0, unknownSubscription: 0, clientStateMismatch: 0, tenantMismatch: 0 },
  };
}
