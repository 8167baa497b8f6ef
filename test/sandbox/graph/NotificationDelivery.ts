import { randomBytes } from 'node:crypto';

export type NotificationItem = Record<string, unknown>;

export interface NotificationDeliveryOptions {
  /** Items for one URL produced within this window go in one POST (at most 100). Default 10 ms. */
  batchWindowMs?: number;
  /** A delivery without an answer in this time failed (Graph: 3 s). */
  deliveryTimeoutMs?: number;
  /** Waits before each retry of a failed POST; then it is given up. Default [250, 1000, 4000]. */
  retryDelaysMs?: number[];
  onDelivery?: (event: { url: string; items: NotificationItem[]; status: number; ms: number }) => void;
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

type Fault = { kind: 'drop' } | { kind: 'duplicate' } | { kind: 'delay'; ms: number } | { kind: 'reorder'; groupSize: number } | { kind: 'forge' };

const MAX_BATCH = 100;

/**
 * Delivers notification items the way Graph does: POST `{"value":[…]}` to the subscription's URL, batching
 * what a short window produced, retrying a POST that failed (non-2xx, connection error, no answer in 3 s)
 * and then giving up. Injected switches apply to the next N items: drop, duplicate (two POSTs), delay,
 * reorder (hold N, then send them newest first, one POST each) and forge (a wrong clientState).
 */
export class NotificationDelivery {
  readonly stats: NotificationStats = emptyNotificationStats();
  private readonly faults: Fault[] = [];
  private readonly batches = new Map<string, NotificationItem[]>();
  private reorderHeld: { url: string; item: NotificationItem }[] = [];
  private reorderGroup = 0;
  private readonly work = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private readonly batchWindowMs: number;
  private readonly deliveryTimeoutMs: number;
  private readonly retryDelaysMs: number[];

  constructor(private readonly options: NotificationDeliveryOptions = {}) {
    this.batchWindowMs = options.batchWindowMs ?? 10;
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? 3000;
    this.retryDelaysMs = options.retryDelaysMs ?? [250, 1000, 4000];
  }

  dropNext(count: number): void {
    for (let i = 0; i < count; i += 1) this.faults.push({ kind: 'drop' });
  }

  duplicateNext(count: number): void {
    for (let i = 0; i < count; i += 1) this.faults.push({ kind: 'duplicate' });
  }

  delayNext(count: number, ms: number): void {
    for (let i = 0; i < count; i += 1) this.faults.push({ kind: 'delay', ms });
  }

  reorderNext(count: number): void {
    for (let i = 0; i < count; i += 1) this.faults.push({ kind: 'reorder', groupSize: count });
  }

  forgeNext(count: number): void {
    for (let i = 0; i < count; i += 1) this.faults.push({ kind: 'forge' });
  }

  /** A change notification item, subject to the switches and batching. */
  enqueue(url: string, item: NotificationItem): void {
    if (this.abort.signal.aborted) return;
    this.stats.itemsQueued += 1;
    const fault = this.faults.shift();
    if (fault?.kind === 'drop') {
      this.stats.dropped += 1;
      return;
    }
    if (fault?.kind === 'forge') {
      this.stats.forged += 1;
      return this.batch(url, { ...item, clientState: `forged-${randomBytes(8).toString('hex')}` });
    }
    if (fault?.kind === 'duplicate') {
      this.stats.duplicated += 1;
      void this.track(async () => {
        await this.post(url, [item]);
        await this.post(url, [item]);
      });
      return;
    }
    if (fault?.kind === 'delay') {
      this.stats.delayed += 1;
      void this.track(async () => {
        await this.sleep(fault.ms);
        await this.post(url, [item]);
      });
      return;
    }
    if (fault?.kind === 'reorder') {
      if (this.reorderHeld.length === 0) this.reorderGroup = fault.groupSize;
      this.reorderHeld.push({ url, item });
      if (this.reorderHeld.length >= this.reorderGroup) {
        const held = this.reorderHeld.reverse();
        this.reorderHeld = [];
        this.stats.reordered += held.length;
        void this.track(async () => {
          for (const h of held) await this.post(h.url, [h.item]);
        });
      }
      return;
    }
    this.batch(url, item);
  }

  /** Sends items now, as one POST, with retries (lifecycle events, forged bodies). */
  send(url: string, items: NotificationItem[]): Promise<void> {
    return this.track(() => this.post(url, items));
  }

  /** Resolves when nothing is batched, delayed, in flight or waiting to retry (held reorders excluded). */
  async flush(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  stop(): void {
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.batches.clear();
    this.reorderHeld = [];
    this.faults.length = 0;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  private batch(url: string, item: NotificationItem): void {
    const pending = this.batches.get(url);
    if (pending) {
      pending.push(item);
      if (pending.length >= MAX_BATCH) this.batches.delete(url);
      return;
    }
    const items = [item];
    this.batches.set(url, items);
    void this.track(async () => {
      await this.sleep(this.batchWindowMs);
      if (this.batches.get(url) === items) this.batches.delete(url);
      // Over the limit while waiting: the first 100 go now, the rest in further POSTs.
      for (let i = 0; i < items.length; i += MAX_BATCH) await this.post(url, items.slice(i, i + MAX_BATCH));
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
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private async post(url: string, items: NotificationItem[]): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      if (this.abort.signal.aborted) return;
      const started = Date.now();
      let status = 0;
      try {
        this.stats.postsSent += 1;
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({ value: items }),
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.deliveryTimeoutMs)]),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
      this.options.onDelivery?.({ url, items, status, ms: Date.now() - started });
      if (status >= 200 && status < 300) {
        this.stats.itemsDelivered += items.length;
        return;
      }
      if (attempt >= this.retryDelaysMs.length) {
        this.stats.itemsFailed += items.length;
        return;
      }
      await this.sleep(this.retryDelaysMs[attempt]!);
    }
  }
}
