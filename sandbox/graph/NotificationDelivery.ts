import { randomBytes } from 'node:crypto';
import { NotificationFaults } from './NotificationFaults';

/** One item of a notification body's `value` array (change or lifecycle notification, or anything forged). */
export type NotificationItem = Record<string, unknown>;

/** One POST attempt, for benchmarks: `status` 0 means a connection error or no answer in time. */
export interface NotificationDeliveryEvent {
  url: string;
  items: NotificationItem[];
  status: number;
  ms: number;
}

export interface NotificationDeliveryOptions {
  /** Items for one URL produced within this window go in one POST (at most 100). Default 10 ms. */
  batchWindowMs?: number;
  /** A delivery without an answer in this time failed (Graph: 3 s). */
  deliveryTimeoutMs?: number;
  /** Waits before each retry of a failed POST; then it is given up. Default [250, 1000, 4000]. */
  retryDelaysMs?: number[];
  /** Called after every POST attempt; an exception it throws is ignored. */
  onDelivery?: (event: NotificationDeliveryEvent) => void;
}

export interface NotificationStats {
  handshakesOk: number;
  handshakesFailed: number;
  itemsQueued: number;
  postsSent: number;
  itemsDelivered: number;
  itemsFailed: number;
  dropped: number;
  duplicated: number;
  delayed: number;
  reordered: number;
  forged: number;
  lifecycleSent: number;
}

export const emptyNotificationStats = (): NotificationStats => ({
  handshakesOk: 0,
  handshakesFailed: 0,
  itemsQueued: 0,
  postsSent: 0,
  itemsDelivered: 0,
  itemsFailed: 0,
  dropped: 0,
  duplicated: 0,
  delayed: 0,
  reordered: 0,
  forged: 0,
  lifecycleSent: 0,
});

/** Graph puts at most this many items in one POST. */
const MAX_BATCH = 100;

/**
 * Delivers notification items the way Graph does: POST `{"value":[…]}` to the subscription's URL, batching
 * what a short window produced, retrying a POST that failed (non-2xx, connection error, no answer in 3 s)
 * and then giving up. Injected faults apply to the next N items: drop, duplicate (two POSTs), delay,
 * reorder (hold N, then send them newest first, one POST each) and forge (a wrong clientState).
 * Everything runs in the background: callers never wait for, or see errors from, a delivery.
 */
export class NotificationDelivery {
  readonly stats: NotificationStats = emptyNotificationStats();
  readonly faults = new NotificationFaults();
  private readonly batches = new Map<string, NotificationItem[]>();
  private reorderHeld: { url: string; item: NotificationItem }[] = [];
  private reorderGroup = 0;
  private readonly work = new Set<Promise<void>>();
  /** Pending waits, so stop() can end them at once instead of leaving their tasks hanging. */
  private readonly sleeps = new Map<NodeJS.Timeout, () => void>();
  private readonly abort = new AbortController();
  private readonly batchWindowMs: number;
  private readonly deliveryTimeoutMs: number;
  private readonly retryDelaysMs: readonly number[];

  constructor(private readonly options: NotificationDeliveryOptions = {}) {
    this.batchWindowMs = options.batchWindowMs ?? 10;
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? 3000;
    this.retryDelaysMs = [...(options.retryDelaysMs ?? [250, 1000, 4000])];
  }

  /** A change notification item, subject to the faults and batching. */
  enqueue(url: string, item: NotificationItem): void {
    if (this.abort.signal.aborted) return;
    this.stats.itemsQueued += 1;
    const fault = this.faults.next();
    switch (fault?.kind) {
      case undefined:
        return this.batch(url, item);
      case 'drop':
        this.stats.dropped += 1;
        return;
      case 'forge':
        this.stats.forged += 1;
        return this.batch(url, { ...item, clientState: `forged-${randomBytes(8).toString('hex')}` });
      case 'duplicate':
        this.stats.duplicated += 1;
        void this.track(async () => {
          await this.post(url, [item]);
          await this.post(url, [item]);
        });
        return;
      case 'delay':
        this.stats.delayed += 1;
        void this.track(async () => {
          await this.sleep(fault.ms);
          await this.post(url, [item]);
        });
        return;
      case 'reorder':
        return this.hold(url, item, fault.groupSize);
    }
  }

  /** Sends items now, as one POST, with retries (lifecycle events, forged bodies); settles when delivered or given up. */
  send(url: string, items: NotificationItem[]): Promise<void> {
    return this.track(() => this.post(url, items));
  }

  /**
   * Resolves when nothing is batched, delayed, in flight or waiting to retry. Items held by a reorder switch
   * that has not filled its group yet are not waited for (they may never be released).
   */
  async flush(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  /** Cancels every wait and request; what was pending is not sent. */
  stop(): void {
    this.abort.abort();
    for (const [timer, resolve] of this.sleeps) {
      clearTimeout(timer);
      resolve();
    }
    this.sleeps.clear();
    this.batches.clear();
    this.reorderHeld = [];
    this.faults.clear();
  }

  clearFaults(): void {
    this.faults.clear();
  }

  private batch(url: string, item: NotificationItem): void {
    const pending = this.batches.get(url);
    if (pending) {
      pending.push(item);
      // A full batch closes; the next item opens a new one.
      if (pending.length >= MAX_BATCH) this.batches.delete(url);
      return;
    }
    const items = [item];
    this.batches.set(url, items);
    void this.track(async () => {
      await this.sleep(this.batchWindowMs);
      if (this.batches.get(url) === items) this.batches.delete(url);
      await this.post(url, items);
    });
  }

  /** Holds reordered items until their group is complete, then sends them newest first, one POST each. */
  private hold(url: string, item: NotificationItem, groupSize: number): void {
    if (this.reorderHeld.length === 0) this.reorderGroup = groupSize;
    this.reorderHeld.push({ url, item });
    if (this.reorderHeld.length < this.reorderGroup) return;
    const held = this.reorderHeld.reverse();
    this.reorderHeld = [];
    this.stats.reordered += held.length;
    void this.track(async () => {
      for (const h of held) await this.post(h.url, [h.item]);
    });
  }

  private track(task: () => Promise<void>): Promise<void> {
    const running = task().catch(() => undefined);
    this.work.add(running);
    void running.finally(() => this.work.delete(running));
    return running;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.abort.signal.aborted) return resolve();
      const timer = setTimeout(() => {
        this.sleeps.delete(timer);
        resolve();
      }, ms);
      this.sleeps.set(timer, resolve);
    });
  }

  private async post(url: string, items: NotificationItem[]): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      if (this.abort.signal.aborted) return;
      const started = Date.now();
      this.stats.postsSent += 1;
      const status = await this.attempt(url, items);
      try {
        this.options.onDelivery?.({ url, items, status, ms: Date.now() - started });
      } catch {
        // A benchmark's hook must not change what the sandbox delivers.
      }
      if (status >= 200 && status < 300) {
        this.stats.itemsDelivered += items.length;
        return;
      }
      if (this.abort.signal.aborted) return;
      const wait = this.retryDelaysMs[attempt];
      if (wait === undefined) {
        this.stats.itemsFailed += items.length;
        return;
      }
      await this.sleep(wait);
    }
  }

  /** One POST; the status, or 0 for a connection error or no answer in time. Redirects are not followed. */
  private async attempt(url: string, items: NotificationItem[]): Promise<number> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value: items }),
        redirect: 'manual',
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.deliveryTimeoutMs)]),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }
}
