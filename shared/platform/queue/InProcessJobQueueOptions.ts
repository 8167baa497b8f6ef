import { type DeadLetter } from './DeadLetter';

export interface InProcessJobQueueOptions {
  /** Sessions (tenants) handled at the same time. Default 8. */
  maxConcurrentSessions?: number;
  /** A message id seen within this window is dropped. Default 10 minutes (Service Bus's default). */
  duplicateDetectionWindowMs?: number;
  /** Deliveries before a failing message is dead-lettered. Default 10 (Service Bus's default). */
  maxDeliveryCount?: number;
  /** Wait before redelivering after failed delivery number `attempt` (1-based). Default 1 s doubling, capped at 30 s. */
  retryDelayMs?: (attempt: number) => number;
  onDeadLetter?: (entry: DeadLetter) => void;
  /** Clock in epoch ms, for tests. Default Date.now. */
  now?: () => number;
}
