import { type LinkedUser } from '../engine/LinkedUsers';
import { type FeatureContext } from './Feature';

/** One batch of a poll cycle, as the feature plans it. */
export interface PollBatchPlan {
  index: number;
  /** When its job should run (the engine queues it for then). */
  startsAt: Date;
  /** The batch owns the per-user records after this key (exclusive); undefined: from the first. */
  after: string | undefined;
  /** …through this key (inclusive); undefined: to the last. */
  through: string | undefined;
  /** This batch also re-asserts what the feature holds the PBX to. */
  reassert: boolean;
  /** May be empty: a batch that only removes the records of users no longer synced. */
  users: LinkedUser[];
}

/** What the engine asks one batch to do. */
export type PollBatchRequest = Omit<PollBatchPlan, 'index' | 'startsAt'> & {
  /** Decide, write nothing. */
  dryRun: boolean;
  now: Date;
};

/** What a batch did (summed into the cycle's stats). */
export interface PollBatchOutcome {
  users: number;
  graphCalls: number;
  /** Users whose source state changed since the last poll. */
  changed: number;
  /** Users whose PBX state was written. */
  pbxWrites: number;
  /** Users served only in part, and why. */
  limited: { userId: string; reason: string }[];
  failed: { userId: string; message: string }[];
}

/**
 * A feature whose source has no app-only change notifications (Teams presence) polls: the engine runs a chain
 * of jobs per tenant in the feature's lane — a cycle job per period that queues the next cycle and the
 * batches the feature plans, and a job per batch that calls pollBatch under the lane's writer lease.
 */
export interface FeaturePolling<Options> {
  /** Seconds between two cycles. */
  periodSeconds(options: Options): number;
  /** The cycle's batches over the synced users (their key ranges must together cover every key). */
  planCycle(users: readonly LinkedUser[], slot: number, options: Options): PollBatchPlan[];
  pollBatch(context: FeatureContext<Options>, batch: PollBatchRequest): Promise<PollBatchOutcome>;
}
