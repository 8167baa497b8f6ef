/** Outlook's limits per app and mailbox, as the sandbox enforces them. */
export interface MailboxLimits {
  /** Requests in flight at once; the next one gets 429 MailboxConcurrency. Default 4. */
  maxConcurrent: number;
  /** Requests per window; beyond it 429 until the window ends. Default 10,000 per 10 minutes. */
  requestsPerWindow: number;
  windowMs: number;
  /** Retry-After of a concurrency refusal, in seconds. Default 1. */
  concurrencyRetryAfterSeconds: number;
}

/** What one mailbox saw, for tests and benchmarks. */
export interface MailboxRequestStats {
  /** Outlook requests addressed to the mailbox, refused ones included. */
  requests: number;
  /** Refused with 429 because 4 were already in flight. */
  concurrencyThrottled: number;
  /** Refused with 429 because the window's budget was spent. */
  windowThrottled: number;
  inFlight: number;
  /** The most requests that were ever in flight at once. */
  maxInFlight: number;
  /** Requests without `Prefer: IdType="ImmutableId"`. */
  withoutImmutableId: number;
  /**
   * Requests that arrived while a Retry-After this mailbox was given had not passed yet (a 200 ms grace after
   * the 429 lets requests already on the wire through, also on a loaded test machine): a client that honours Retry-After per mailbox has 0.
   */
  sentDuringRetryAfter: number;
}

export type MailboxAdmission =
  { kind: 'admitted'; release: () => void } | { kind: 'throttled'; code: string; message: string; retryAfterSeconds: number };

interface MailboxCounters extends MailboxRequestStats {
  windowStart: number;
  windowCount: number;
  /** The throttling episode's first Retry-After: requests from `quietFrom` to `quietUntil` count as sentDuringRetryAfter. */
  quietFrom: number;
  quietUntil: number;
}

/** Requests already sent when the 429 went out are not the client's fault. */
const RETRY_AFTER_GRACE_MS = 200;
/** Timers may fire a little early against Date.now. */
const RETRY_AFTER_SLACK_MS = 20;

/**
 * Outlook throttling per mailbox: a concurrency cap and a fixed-window request budget (Graph documents a
 * 10-minute window; a fixed one is enough to make clients meet Retry-After). Refused requests do not spend
 * the budget, so a client that honours Retry-After gets through when the window turns.
 */
export class MailboxThrottle {
  private readonly counters = new Map<string, MailboxCounters>();
  private totalInFlight = 0;
  /** The most Outlook requests in flight at once over all mailboxes since the last reset. */
  peakTotalInFlight = 0;

  constructor(
    private readonly limits: MailboxLimits,
    private readonly now: () => number = Date.now,
  ) {}

  admit(mailboxId: string, immutableIds: boolean): MailboxAdmission {
    const c = this.countersOf(mailboxId);
    const now = this.now();
    c.requests += 1;
    if (!immutableIds) c.withoutImmutableId += 1;
    if (now >= c.quietFrom && now < c.quietUntil - RETRY_AFTER_SLACK_MS) c.sentDuringRetryAfter += 1;
    if (c.inFlight >= this.limits.maxConcurrent) {
      c.concurrencyThrottled += 1;
      return this.throttled(c, now, 'Application is over its MailboxConcurrency limit.', this.limits.concurrencyRetryAfterSeconds);
    }
    if (now - c.windowStart >= this.limits.windowMs) {
      c.windowStart = now;
      c.windowCount = 0;
    }
    if (c.windowCount >= this.limits.requestsPerWindow) {
      c.windowThrottled += 1;
      const retryAfterSeconds = Math.max(1, Math.ceil((c.windowStart + this.limits.windowMs - now) / 1000));
      return this.throttled(c, now, 'Application is over its MailboxRequests limit.', retryAfterSeconds);
    }
    c.windowCount += 1;
    c.inFlight += 1;
    c.maxInFlight = Math.max(c.maxInFlight, c.inFlight);
    this.totalInFlight += 1;
    this.peakTotalInFlight = Math.max(this.peakTotalInFlight, this.totalInFlight);
    let released = false;
    return {
      kind: 'admitted',
      release: () => {
        if (released) return;
        released = true;
        c.inFlight -= 1;
        this.totalInFlight -= 1;
      },
    };
  }

  private throttled(c: MailboxCounters, now: number, message: string, retryAfterSeconds: number): MailboxAdmission {
    // The first 429 of an episode sets the quiet time: a request told "1 s" may come back after 1 s even if
    // a later 429 of the same episode said more.
    if (now >= c.quietUntil) {
      c.quietFrom = now + RETRY_AFTER_GRACE_MS;
      c.quietUntil = now + retryAfterSeconds * 1000;
    }
    return { kind: 'throttled', code: 'ApplicationThrottled', message, retryAfterSeconds };
  }

  /** Copies of every mailbox's counters, by mailbox (user) id. */
  stats(): Record<string, MailboxRequestStats> {
    const out: Record<string, MailboxRequestStats> = {};
    for (const [id, c] of this.counters) out[id] = statsOf(c);
    return out;
  }

  statsOf(mailboxId: string): MailboxRequestStats {
    return statsOf(this.countersOf(mailboxId));
  }

  /** Zeroes the counters and budgets; requests still in flight keep their slot until they end. */
  reset(): void {
    this.peakTotalInFlight = this.totalInFlight;
    for (const [id, c] of this.counters) {
      if (c.inFlight === 0) this.counters.delete(id);
      else
        Object.assign(c, {
          requests: 0,
          concurrencyThrottled: 0,
          windowThrottled: 0,
          maxInFlight: c.inFlight,
          withoutImmutableId: 0,
          sentDuringRetryAfter: 0,
          windowCount: 0,
        });
    }
  }

  private countersOf(mailboxId: string): MailboxCounters {
    let c = this.counters.get(mailboxId);
    if (!c) {
      c = {
        requests: 0,
        concurrencyThrottled: 0,
        windowThrottled: 0,
        inFlight: 0,
        maxInFlight: 0,
        withoutImmutableId: 0,
        sentDuringRetryAfter: 0,
        windowStart: this.now(),
        windowCount: 0,
        quietFrom: 0,
        quietUntil: 0,
      };
      this.counters.set(mailboxId, c);
    }
    return c;
  }
}

function statsOf(c: MailboxCounters): MailboxRequestStats {
  const { requests, concurrencyThrottled, windowThrottled, inFlight, maxInFlight, withoutImmutableId, sentDuringRetryAfter } = c;
  return { requests, concurrencyThrottled, windowThrottled, inFlight, maxInFlight, withoutImmutableId, sentDuringRetryAfter };
}
