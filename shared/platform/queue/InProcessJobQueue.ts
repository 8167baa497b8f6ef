import { AppError } from '../../core/errors/AppError';
import { ensureError } from '../../core/errors/ensureError';
import { type DeadLetter } from './DeadLetter';
import { type InProcessJobQueueOptions } from './InProcessJobQueueOptions';
import { type JobHandler } from './JobHandler';
import { type EnqueueOptions, type JobQueue } from './JobQueue';
import { type QueueStats } from './QueueStats';
import { checkEnqueueOptions } from './checkEnqueueOptions';
import { parseSyncJob } from '../../app/jobs/parseSyncJob';
import { type SyncJob, sessionOf } from '../../app/jobs/SyncJob';
import { enqueueInSpan } from '../telemetry/jobTraceContext';
import { outsideAnyTrace } from '../telemetry/tracing';

interface QueuedMessage {
  job: SyncJob;
  messageId: string;
  sequence: number;
  /** When the message joined its session (enqueue time, or its scheduled time); orders the session. */
  availableAt: number;
  /** Backoff after a failed delivery. The message keeps the head of its session meanwhile. */
  retryAt: number;
  deliveryCount: number;
}

// setTimeout treats longer delays as 1 ms.
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

const defaultRetryDelayMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));

/**
 * The local stand-in for the Service Bus queue, with the same contract: sessions keyed by tenant and lane (one
 * session's jobs run one at a time, in order; sessions run in parallel), duplicate detection by message id,
 * scheduled delivery, retries with backoff and dead letters. One unref'd timer wakes it for the next due
 * message; it never polls.
 */
export class InProcessJobQueue implements JobQueue {
  private readonly maxConcurrentSessions: number;
  private readonly duplicateDetectionWindowMs: number;
  private readonly maxDeliveryCount: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly now: () => number;
  /** Each session's messages ordered by (availableAt, sequence); empty sessions are removed. */
  private readonly sessions = new Map<string, QueuedMessage[]>();
  private readonly activeSessions = new Set<string>();
  /** Message id → first seen; insertion order is time order, so expiry trims from the front. */
  private readonly seenMessageIds = new Map<string, number>();
  private readonly dead: DeadLetter[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private idleWaiters: { withinMs: number; resolve: () => void }[] = [];
  private readonly counters: QueueStats = { enqueued: 0, deduplicated: 0, delivered: 0, completed: 0, retried: 0, deadLettered: 0 };
  private handler: JobHandler | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = Infinity;
  private sequence = 0;
  private closed = false;

  constructor(private readonly options: InProcessJobQueueOptions = {}) {
    this.maxConcurrentSessions = options.maxConcurrentSessions ?? 8;
    this.duplicateDetectionWindowMs = options.duplicateDetectionWindowMs ?? 10 * 60_000;
    this.maxDeliveryCount = options.maxDeliveryCount ?? 10;
    this.retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;
    this.now = options.now ?? (() => Date.now());
    if (!Number.isInteger(this.maxConcurrentSessions) || this.maxConcurrentSessions < 1)
      throw new AppError('CONFIG', 'maxConcurrentSessions must be a whole number of at least 1');
    if (!Number.isInteger(this.maxDeliveryCount) || this.maxDeliveryCount < 1)
      throw new AppError('CONFIG', 'maxDeliveryCount must be a whole number of at least 1');
  }

  async enqueue(job: SyncJob, options: EnqueueOptions = {}): Promise<void> {
    if (this.closed) throw new AppError('TRANSIENT', 'the in-process job queue is closed');
    const valid = parseSyncJob(job);
    checkEnqueueOptions(options);
    const messageId = options.messageId ?? valid.jobId;
    await enqueueInSpan(valid, messageId, async (traced) => {
      const now = this.now();
      this.forgetExpiredMessageIds(now);
      if (this.seenMessageIds.has(messageId)) {
        this.counters.deduplicated += 1;
        return;
      }
      this.seenMessageIds.set(messageId, now);
      const availableAt = Math.max(now, options.scheduledEnqueueTime?.getTime() ?? now);
      this.insert(sessionOf(traced), { job: traced, messageId, sequence: this.sequence++, availableAt, retryAt: 0, deliveryCount: 0 });
      this.counters.enqueued += 1;
      this.pump();
    });
  }

  /** Begins consuming. Only one handler, like one processor per queue. */
  start(handler: JobHandler): void {
    if (this.closed) throw new AppError('INTERNAL', 'the in-process job queue is closed');
    if (this.handler) throw new AppError('INTERNAL', 'the in-process job queue is already started');
    this.handler = handler;
    this.pump();
  }

  deadLetters(): DeadLetter[] {
    return [...this.dead];
  }

  stats(): QueueStats {
    return { ...this.counters };
  }

  /**
   * Resolves once nothing is in flight and nothing is due within `withinMs` (default: nothing queued at
   * all, however far ahead it is scheduled), or once the queue is closed and its in-flight work is done.
   */
  idle(options: { withinMs?: number } = {}): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push({ withinMs: options.withinMs ?? Infinity, resolve });
      this.notifyIdleWaiters();
    });
  }

  /** Stops accepting and delivering; resolves when the in-flight handlers have finished. Queued messages stay. */
  async close(): Promise<void> {
    this.closed = true;
    this.setTimer(Infinity);
    await Promise.all([...this.inFlight]);
    this.notifyIdleWaiters();
  }

  private forgetExpiredMessageIds(now: number): void {
    for (const [messageId, seenAt] of this.seenMessageIds) {
      if (now - seenAt < this.duplicateDetectionWindowMs) break;
      this.seenMessageIds.delete(messageId);
    }
  }

  private insert(sessionId: string, message: QueuedMessage): void {
    const queue = this.sessions.get(sessionId);
    if (!queue) {
      this.sessions.set(sessionId, [message]);
      return;
    }
    // After every message available no later than this one: FIFO by the time each joined the session.
    let low = 0;
    let high = queue.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (queue[mid]!.availableAt <= message.availableAt) low = mid + 1;
      else high = mid;
    }
    queue.splice(low, 0, message);
  }

  /** A session's head is its next message; nothing behind it runs first, even while it waits for a retry. */
  private static dueAt(head: QueuedMessage): number {
    return Math.max(head.availableAt, head.retryAt);
  }

  private pump(): void {
    if (this.handler && !this.closed) {
      const now = this.now();
      const ready: [string, QueuedMessage][] = [];
      let wakeAt = Infinity;
      for (const [sessionId, queue] of this.sessions) {
        if (this.activeSessions.has(sessionId)) continue;
        const dueAt = InProcessJobQueue.dueAt(queue[0]!);
        if (dueAt <= now) ready.push([sessionId, queue[0]!]);
        else wakeAt = Math.min(wakeAt, dueAt);
      }
      // Oldest message first across sessions, so a busy tenant cannot starve the others.
      ready.sort(([, a], [, b]) => a.availableAt - b.availableAt || a.sequence - b.sequence);
      const free = this.maxConcurrentSessions - this.activeSessions.size;
      for (const [sessionId] of ready.slice(0, Math.max(0, free))) this.deliver(sessionId);
      this.setTimer(wakeAt);
    }
    this.notifyIdleWaiters();
  }

  private setTimer(dueAt: number): void {
    if (this.timer && dueAt === this.timerDueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = dueAt;
    if (dueAt === Infinity) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerDueAt = Infinity;
        this.pump();
      },
      Math.min(MAX_TIMER_DELAY_MS, Math.max(1, dueAt - this.now())),
    );
    this.timer.unref();
  }

  private deliver(sessionId: string): void {
    const message = this.sessions.get(sessionId)![0]!;
    this.activeSessions.add(sessionId);
    message.deliveryCount += 1;
    this.counters.delivered += 1;
    // Like a Service Bus delivery, the handler starts outside the trace of whatever woke the queue; the job's
    // own traceparent says which trace it continues.
    const run: Promise<void> = outsideAnyTrace(() => this.settle(sessionId, message)).then(() => {
      this.inFlight.delete(run);
      this.pump();
    });
    this.inFlight.add(run);
  }

  /** Runs the handler and completes, abandons (retry later) or dead-letters the message. Never rejects. */
  private async settle(sessionId: string, message: QueuedMessage): Promise<void> {
    try {
      await this.handler!(message.job, { deliveryCount: message.deliveryCount, messageId: message.messageId });
      this.counters.completed += 1;
      this.removeHead(sessionId);
    } catch (err) {
      if (message.deliveryCount >= this.maxDeliveryCount) {
        this.removeHead(sessionId);
        this.deadLetter({ job: message.job, reason: ensureError(err).message, deliveryCount: message.deliveryCount });
      } else {
        this.counters.retried += 1;
        message.retryAt = this.now() + this.retryDelayMs(message.deliveryCount);
      }
    } finally {
      this.activeSessions.delete(sessionId);
    }
  }

  private removeHead(sessionId: string): void {
    const queue = this.sessions.get(sessionId)!;
    queue.shift();
    if (queue.length === 0) this.sessions.delete(sessionId);
  }

  private deadLetter(entry: DeadLetter): void {
    this.dead.push(entry);
    this.counters.deadLettered += 1;
    try {
      this.options.onDeadLetter?.(entry);
    } catch {
      // A failing observer must not wedge the session; the entry is kept in deadLetters() regardless.
    }
  }

  private notifyIdleWaiters(): void {
    if (this.idleWaiters.length === 0 || this.inFlight.size > 0) return;
    const now = this.now();
    let nextDue = Infinity;
    for (const queue of this.sessions.values()) nextDue = Math.min(nextDue, InProcessJobQueue.dueAt(queue[0]!));
    this.idleWaiters = this.idleWaiters.filter((waiter) => {
      if (!this.closed && nextDue !== Infinity && nextDue - now <= waiter.withinMs) return true;
      waiter.resolve();
      return false;
    });
  }
}
