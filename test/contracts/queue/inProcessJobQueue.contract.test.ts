import { describe } from 'vitest';
import { InProcessJobQueue } from '../../../shared/platform/queue/InProcessJobQueue';
import { jobQueueContract } from './jobQueueContract';

/** Small enough that ten deliveries of a poison job take milliseconds; the backoff itself is unit-tested. */
const RETRY_DELAY_MS = 2;

describe('JobQueue contract: InProcessJobQueue', () => {
  jobQueueContract({
    name: 'the in-process queue',
    uncheckable: {
      lockExpiryRedelivers: 'the process is the lock — a handler that never returns holds its session, and nothing redelivers behind it',
    },
    clauseTimeoutMs: 10_000,
    makeHarness: async () => {
      // Production's delivery count and duplicate window are the queue's defaults, so they are not overridden.
      const queue = new InProcessJobQueue({ retryDelayMs: () => RETRY_DELAY_MS });
      return {
        enqueue: (job, options) => queue.enqueue(job, options),
        // One process consumes, and it holds a session until its handler returns: there is no lock to renew.
        start: (handler) => queue.start(handler),
        settle: () => queue.idle(),
        deadLetters: async () => queue.deadLetters(),
        deadLetterReason: (lastError) => lastError.message,
        settings: { maxDeliveryCount: 10, duplicateDetectionWindowMs: 10 * 60_000 },
        timing: {
          handlerWorkMs: 20,
          scheduleAheadMs: 60,
          clockSkewMs: 0,
          retryDelayMs: RETRY_DELAY_MS,
          patienceMs: 2_000,
          lockDurationMs: undefined,
        },
        uncheckable: {},
        dispose: () => queue.close(),
      };
    },
  });
});
