import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAppError } from '../../../../shared/core/errors/AppError';
import { type DeadLetter } from '../../../../shared/platform/queue/DeadLetter';
import { InProcessJobQueue } from '../../../../shared/platform/queue/InProcessJobQueue';
import { type InProcessJobQueueOptions } from '../../../../shared/platform/queue/InProcessJobQueueOptions';
import { type SyncJob } from '../../../../shared/app/jobs/SyncJob';
import { syncJobFor } from './syncJobFor';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const queues: InProcessJobQueue[] = [];
function newQueue(options: InProcessJobQueueOptions = {}): InProcessJobQueue {
  const queue = new InProcessJobQueue({ retryDelayMs: () => 5, ...options });
  queues.push(queue);
  return queue;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(queues.splice(0).map((q) => q.close()));
});

/** Tracks how many handlers run at once, overall and per tenant. */
function concurrencyProbe(workMs: number) {
  const active = new Map<string, number>();
  let running = 0;
  const peak = { overall: 0, perTenant: 0 };
  const order: string[] = [];
  const handler = async (job: SyncJob) => {
    running += 1;
    active.set(job.tenantId, (active.get(job.tenantId) ?? 0) + 1);
    peak.overall = Math.max(peak.overall, running);
    peak.perTenant = Math.max(peak.perTenant, active.get(job.tenantId)!);
    order.push(job.jobId);
    await sleep(workMs);
    active.set(job.tenantId, active.get(job.tenantId)! - 1);
    running -= 1;
  };
  return { handler, peak, order };
}

describe('InProcessJobQueue sessions', () => {
  it('runs one tenant’s jobs one at a time, in enqueue order', async () => {
    const queue = newQueue();
    const probe = concurrencyProbe(5);
    queue.start(probe.handler);
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) await queue.enqueue(syncJobFor('contoso', id));
    await queue.idle();
    expect(probe.order).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(probe.peak.perTenant).toBe(1);
  });

  it('runs different tenants in parallel', async () => {
    const queue = newQueue();
    const probe = concurrencyProbe(20);
    queue.start(probe.handler);
    await Promise.all(['t1', 't2', 't3'].map((tenant) => queue.enqueue(syncJobFor(tenant, `${tenant}-job`))));
    await queue.idle();
    expect(probe.peak.overall).toBe(3);
    expect(probe.peak.perTenant).toBe(1);
  });

  it('caps the sessions handled at once at maxConcurrentSessions', async () => {
    const queue = newQueue({ maxConcurrentSessions: 2 });
    const probe = concurrencyProbe(10);
    queue.start(probe.handler);
    for (const tenant of ['t1', 't2', 't3', 't4', 't5']) await queue.enqueue(syncJobFor(tenant, `${tenant}-job`));
    await queue.idle();
    expect(probe.peak.overall).toBe(2);
    expect(probe.order).toHaveLength(5);
  });

  it('serves the oldest message first across sessions, so one busy tenant cannot starve another', async () => {
    const queue = newQueue({ maxConcurrentSessions: 1 });
    await queue.enqueue(syncJobFor('t1', 't1-a'));
    await queue.enqueue(syncJobFor('t2', 't2-a'));
    await queue.enqueue(syncJobFor('t1', 't1-b'));
    const probe = concurrencyProbe(1);
    queue.start(probe.handler);
    await queue.idle();
    expect(probe.order).toEqual(['t1-a', 't2-a', 't1-b']);
  });

  it('delivers jobs enqueued before start once started', async () => {
    const queue = newQueue();
    await queue.enqueue(syncJobFor('contoso', 'early'));
    const seen: string[] = [];
    queue.start(async (job) => void seen.push(job.jobId));
    await queue.idle();
    expect(seen).toEqual(['early']);
  });

  it('rejects an invalid job with INVALID and queues nothing', async () => {
    const queue = newQueue();
    const bad = { ...syncJobFor('contoso', 'x'), mode: 'sometimes' } as unknown as SyncJob;
    await expect(queue.enqueue(bad)).rejects.toSatisfy((err) => isAppError(err, 'INVALID'));
    await expect(queue.enqueue(syncJobFor('contoso', 'y'), { messageId: '' })).rejects.toSatisfy((err) => isAppError(err, 'INVALID'));
    expect(queue.stats().enqueued).toBe(0);
  });
});

describe('InProcessJobQueue duplicate detection', () => {
  it('drops a message id seen within the window and accepts it again after', async () => {
    let now = 1_000_000;
    const queue = newQueue({ duplicateDetectionWindowMs: 60_000, now: () => now });
    const seen: { jobId: string; messageId: string }[] = [];
    queue.start(async (job, delivery) => void seen.push({ jobId: job.jobId, messageId: delivery.messageId }));

    await queue.enqueue(syncJobFor('contoso', 'first'), { messageId: 'delta:contoso:users:0' });
    await queue.idle();
    now += 59_999;
    await queue.enqueue(syncJobFor('contoso', 'second'), { messageId: 'delta:contoso:users:0' });
    await queue.idle();
    expect(seen).toEqual([{ jobId: 'first', messageId: 'delta:contoso:users:0' }]);

    now += 1;
    await queue.enqueue(syncJobFor('contoso', 'third'), { messageId: 'delta:contoso:users:0' });
    await queue.idle();
    expect(seen.map((s) => s.jobId)).toEqual(['first', 'third']);
    expect(queue.stats()).toMatchObject({ enqueued: 2, deduplicated: 1, completed: 2 });
  });

  it('uses the job id as the message id by default', async () => {
    const queue = newQueue();
    await queue.enqueue(syncJobFor('contoso', 'same'));
    await queue.enqueue(syncJobFor('contoso', 'same', { mode: 'full' }));
    expect(queue.stats()).toMatchObject({ enqueued: 1, deduplicated: 1 });
  });
});

describe('InProcessJobQueue scheduled delivery', () => {
  it('keeps a scheduled message invisible until its time, without holding back later ready ones', async () => {
    const queue = newQueue();
    const seen: { jobId: string; at: number }[] = [];
    queue.start(async (job) => void seen.push({ jobId: job.jobId, at: Date.now() }));
    const dueAt = Date.now() + 80;
    await queue.enqueue(syncJobFor('contoso', 'debounced'), { scheduledEnqueueTime: new Date(dueAt) });
    await queue.enqueue(syncJobFor('contoso', 'manual'));
    await queue.idle();
    expect(seen.map((s) => s.jobId)).toEqual(['manual', 'debounced']);
    expect(seen[1]!.at).toBeGreaterThanOrEqual(dueAt);
  });

  it('idle({ withinMs }) ignores messages scheduled further ahead', async () => {
    const queue = newQueue();
    const seen: string[] = [];
    queue.start(async (job) => void seen.push(job.jobId));
    await queue.enqueue(syncJobFor('contoso', 'later'), { scheduledEnqueueTime: new Date(Date.now() + 60_000) });
    await queue.enqueue(syncJobFor('fabrikam', 'now'));
    await queue.idle({ withinMs: 1_000 });
    expect(seen).toEqual(['now']);
    let idle = false;
    void queue.idle().then(() => (idle = true));
    await sleep(20);
    expect(idle).toBe(false);
  });

  it('leaves no timer behind when closed with a message scheduled ahead', async () => {
    vi.useFakeTimers();
    const queue = newQueue();
    const seen: string[] = [];
    queue.start(async (job) => void seen.push(job.jobId));
    await queue.enqueue(syncJobFor('contoso', 'later'), { scheduledEnqueueTime: new Date(Date.now() + 5_000) });
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['later']);
    expect(vi.getTimerCount()).toBe(0);

    await queue.enqueue(syncJobFor('contoso', 'never'), { scheduledEnqueueTime: new Date(Date.now() + 5_000) });
    expect(vi.getTimerCount()).toBe(1);
    await queue.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('InProcessJobQueue retries and dead letters', () => {
  it('redelivers a failed job with a higher delivery count before the tenant’s next job', async () => {
    const queue = newQueue();
    const deliveries: string[] = [];
    queue.start(async (job, { deliveryCount }) => {
      deliveries.push(`${job.jobId}#${deliveryCount}`);
      if (job.jobId === 'flaky' && deliveryCount < 3) throw new Error('PBX hiccup');
    });
    await queue.enqueue(syncJobFor('contoso', 'flaky'));
    await queue.enqueue(syncJobFor('contoso', 'next'));
    await queue.idle();
    expect(deliveries).toEqual(['flaky#1', 'flaky#2', 'flaky#3', 'next#1']);
    expect(queue.stats()).toMatchObject({ delivered: 4, retried: 2, completed: 2, deadLettered: 0 });
  });

  it('waits retryDelayMs(attempt) between deliveries', async () => {
    const attempts: number[] = [];
    const queue = newQueue({ retryDelayMs: (attempt) => (attempts.push(attempt), 40), maxDeliveryCount: 2 });
    const at: number[] = [];
    queue.start(async () => {
      at.push(Date.now());
      throw new Error('down');
    });
    await queue.enqueue(syncJobFor('contoso', 'job'));
    await queue.idle();
    expect(attempts).toEqual([1]);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(39);
  });

  it('dead-letters after maxDeliveryCount deliveries and carries on with the session', async () => {
    const reported: DeadLetter[] = [];
    const queue = newQueue({ maxDeliveryCount: 3, onDeadLetter: (d) => reported.push(d) });
    const deliveries: number[] = [];
    queue.start(async (job, { deliveryCount }) => {
      if (job.jobId !== 'poison') return;
      deliveries.push(deliveryCount);
      throw new Error('tenant config is broken');
    });
    await queue.enqueue(syncJobFor('contoso', 'poison'));
    await queue.enqueue(syncJobFor('contoso', 'after'));
    await queue.idle();
    expect(deliveries).toEqual([1, 2, 3]);
    const expected = { job: syncJobFor('contoso', 'poison'), reason: 'tenant config is broken', deliveryCount: 3 };
    expect(queue.deadLetters()).toEqual([expected]);
    expect(reported).toEqual([expected]);
    expect(queue.stats()).toEqual({ enqueued: 2, deduplicated: 0, delivered: 4, completed: 1, retried: 2, deadLettered: 1 });
  });
});

describe('InProcessJobQueue idle and close', () => {
  it('idle() resolves at once when empty and only after queued work is done otherwise', async () => {
    const queue = newQueue();
    await queue.idle();
    let finished = 0;
    queue.start(async () => {
      await sleep(10);
      finished += 1;
    });
    await queue.enqueue(syncJobFor('contoso', 'a'));
    await queue.enqueue(syncJobFor('contoso', 'b'));
    await queue.idle();
    expect(finished).toBe(2);
  });

  it('close() waits for in-flight handlers, then refuses new jobs and delivers nothing more', async () => {
    const queue = newQueue();
    let release!: () => void;
    const started: string[] = [];
    let finished = false;
    queue.start(async (job) => {
      started.push(job.jobId);
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    });
    await queue.enqueue(syncJobFor('contoso', 'running'));
    await queue.enqueue(syncJobFor('contoso', 'waiting'));
    await sleep(5);
    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    await sleep(10);
    expect(closed).toBe(false);
    release();
    await closing;
    expect(finished).toBe(true);
    expect(started).toEqual(['running']);
    await expect(queue.enqueue(syncJobFor('contoso', 'late'))).rejects.toSatisfy((err) => isAppError(err, 'TRANSIENT'));
    await queue.idle();
  });
});
