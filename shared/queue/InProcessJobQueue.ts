import { ensureError } from '../errors/ensureError';
import { EnqueueOptions, JobQueue } from './JobQueue';
import { SyncJob } from './SyncJob';
import { parseSyncJob } from './parseSyncJob';

export interface DeadLetter {
  job: SyncJob;
  reason: string;
  deliveryCount: number;
}

export interface InProcessJobQueueOptions {
  maxConcurrentSessions?: number;
  duplicateDetectionWindowMs?: number;
  maxDeliveryCount?: number;
  retryDelayMs?: (attempt: number) => number;
  onDeadLetter?: (entry: DeadLetter) => void;
}

export type JobHandler = (job: SyncJob, delivery: { deliveryCount: number; messageId: string }) => Promise<void>;

interface Message {
  job: SyncJob;
  messageId: string;
  visibleAt: number;
  deliveryCount: number;
}

/**
 * The local stand-in for the Service Bus queue, with the same contract: sessions (one tenant's jobs run one
 * at a time, in order), duplicate detection by message id, scheduled delivery, retries and dead letters.
 */
export class InProcessJobQueue implements JobQueue {
  private readonly sessions = new Map<string, Message[]>();
  private readonly activeSessions = new Set<string>();
  private readonly seen = new Map<string, number>();
  private readonly dead: DeadLetter[] = [];
  private handler?: JobHandler;
  private timer?: NodeJS.Timeout;
  private closed = false;
  private readonly inFlight = new Set<Promise<void>>();
  private idleWaiters: (() => void)[] = [];
  private readonly counters = { enqueued: 0, deduplicated: 0, delivered: 0, completed: 0, retried: 0, deadLettered: 0 };

  constructor(private readonly options: InProcessJobQueueOptions = {}) {}

  async enqueue(job: SyncJob, options: EnqueueOptions = {}): Promise<void> {
    const valid = parseSyncJob(job);
    const now = Date.now();
    const messageId = options.messageId ?? valid.jobId;
    const windowMs = this.options.duplicateDetectionWindowMs ?? 10 * 60_000;
    for (const [id, at] of this.seen) if (now - at > windowMs) this.seen.delete(id);
    if (this.seen.has(messageId)) {
      this.counters.deduplicated += 1;
      return;
    }
    this.seen.set(messageId, now);
    const queue = this.sessions.get(valid.tenantId) ?? [];
    queue.push({ job: valid, messageId, visibleAt: options.scheduledEnqueueTime?.getTime() ?? now, deliveryCount: 0 });
    this.sessions.set(valid.tenantId, queue);
    this.counters.enqueued += 1;
    this.pump();
  }

  start(handler: JobHandler): void {
    this.handler = handler;
    this.pump();
  }

  deadLetters(): DeadLetter[] {
    return [...this.dead];
  }

  stats() {
    return { ...this.counters };
  }

  /** Resolves once nothing is queued (ready or scheduled) and nothing is running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all([...this.inFlight]);
  }

  private isIdle(): boolean {
    return this.inFlight.size === 0 && [...this.sessions.values()].every((q) => q.length === 0);
  }

  private pump(): void {
    if (!this.handler || this.closed) return;
    const now = Date.now();
    let nextVisible = Infinity;
    const maxSessions = this.options.maxConcurrentSessions ?? 8;
    for (const [sessionId, queue] of this.sessions) {
      if (this.activeSessions.has(sessionId) || queue.length === 0) continue;
      // FIFO per session: the head must be visible before anything behind it runs.
      queue.sort((a, b) => a.visibleAt - b.visibleAt);
      const head = queue[0]!;
      if (head.visibleAt > now) {
        nextVisible = Math.min(nextVisible, head.visibleAt);
        continue;
      }
      if (this.activeSessions.size >= maxSessions) break;
      queue.shift();
      this.deliver(sessionId, head);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (nextVisible !== Infinity) {
      this.timer = setTimeout(() => this.pump(), Math.max(1, nextVisible - now));
      this.timer.unref();
    }
    if (this.isIdle()) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  private deliver(sessionId: string, message: Message): void {
    this.activeSessions.add(sessionId);
    message.deliveryCount += 1;
    this.counters.delivered += 1;
    const run = (async () => {
      try {
        await this.handler!(message.job, { deliveryCount: message.deliveryCount, messageId: message.messageId });
        this.counters.completed += 1;
      } catch (err) {
        const maxDeliveries = this.options.maxDeliveryCount ?? 10;
        if (message.deliveryCount >= maxDeliveries) {
          const entry = { job: message.job, reason: ensureError(err).message, deliveryCount: message.deliveryCount };
          this.dead.push(entry);
          this.counters.deadLettered += 1;
          this.options.onDeadLetter?.(entry);
        } else {
          this.counters.retried += 1;
          const delay = (this.options.retryDelayMs ?? ((n) => Math.min(30_000, 1000 * 2 ** (n - 1))))(message.deliveryCount);
          message.visibleAt = Date.now() + delay;
          // Back at the head of its session: later jobs of the tenant wait, like a locked session.
          this.sessions.get(sessionId)!.unshift(message);
        }
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => {
      this.inFlight.delete(run);
      this.activeSessions.delete(sessionId);
      this.pump();
    });
  }
}
