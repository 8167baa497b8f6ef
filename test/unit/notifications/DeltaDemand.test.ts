import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/core/errors/AppError';
import { DeltaDemand } from '../../../shared/notifications/DeltaDemand';
import { type EnqueueOptions, type JobQueue } from '../../../shared/platform/queue/JobQueue';
import { type SyncJob } from '../../../shared/app/jobs/SyncJob';
import { InMemoryDeltaDemandStore } from '../../support/InMemoryDeltaDemandStore';

const users = { name: 'users', lane: 'directory' } as const;

/** A queue that drops repeated message ids (as Service Bus duplicate detection does) and can fail sends. */
function recordingQueue() {
  const sent: { job: SyncJob; options: EnqueueOptions }[] = [];
  const seen = new Set<string>();
  let failures = 0;
  const queue: JobQueue = {
    enqueue: async (job, options = {}) => {
      await new Promise((r) => setTimeout(r, 2));
      if (failures > 0) {
        failures -= 1;
        throw new AppError('TRANSIENT', 'Service Bus is busy');
      }
      if (seen.has(options.messageId!)) return;
      seen.add(options.messageId!);
      sent.push({ job, options });
    },
    close: async () => undefined,
  };
  return { queue, sent, failNext: (n: number) => (failures = n) };
}

function setup(options: { now?: () => Date } = {}) {
  const store = new InMemoryDeltaDemandStore();
  const { queue, sent, failNext } = recordingQueue();
  const demand = new DeltaDemand({ store, queue, newEpoch: () => '0a0b0c0d', ...options });
  return { store, queue, sent, failNext, demand };
}

describe('DeltaDemand', () => {
  it('a lone request queues its job at once: no scheduled time, message id per generation', async () => {
    const { demand, sent, store } = setup();
    expect(await demand.request('contoso', users, 'notification')).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.options).toEqual({ messageId: 'delta:contoso:users:0a0b0c0d-1' });
    expect(sent[0]!.job).toMatchObject({
      jobId: 'delta:contoso:users:0a0b0c0d-1',
      mode: 'delta',
      lane: 'directory',
      trigger: 'notification',
    });
    expect(store.rows.get('contoso/users')).toMatchObject({ generation: 1, pending: true });
  });

  it('while the job is pending, later requests are covered by it; once it started, the next request queues the next generation', async () => {
    const { demand, sent } = setup();
    await demand.request('contoso', users, 'notification');
    expect(await demand.request('contoso', users, 'notification')).toBe(false);
    expect(await demand.request('contoso', users, 'lifecycle')).toBe(false);
    expect(sent).toHaveLength(1);
    await demand.jobStarting(sent[0]!.job as Extract<SyncJob, { kind: 'sync' }>);
    expect(await demand.request('contoso', users, 'notification')).toBe(true);
    expect(sent.map((s) => s.options.messageId)).toEqual(['delta:contoso:users:0a0b0c0d-1', 'delta:contoso:users:0a0b0c0d-2']);
  });

  it('concurrent requests in one process share reads: 50 at once cost at most two reads and one send', async () => {
    const { demand, sent, store } = setup();
    const results = await Promise.all(Array.from({ length: 50 }, () => demand.request('contoso', users, 'notification')));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(sent).toHaveLength(1);
    expect(store.reads).toBeLessThanOrEqual(2);
    expect(store.writes).toBe(1);
  });

  it('a request arriving while a read is in flight does not trust that read: the job may have started just after it', async () => {
    const { demand, sent, store } = setup();
    await demand.request('contoso', users, 'notification');
    const first = sent[0]!.job as Extract<SyncJob, { kind: 'sync' }>;
    let late: Promise<boolean> | undefined;
    store.afterRead = async () => {
      store.afterRead = undefined;
      // The read saw generation 1 pending; now its job starts, and a new change is notified.
      await demand.jobStarting(first);
      late = demand.request('contoso', users, 'notification');
    };
    expect(await demand.request('contoso', users, 'notification')).toBe(false);
    expect(await late).toBe(true);
    expect(sent.map((s) => s.options.messageId)).toEqual(['delta:contoso:users:0a0b0c0d-1', 'delta:contoso:users:0a0b0c0d-2']);
  });

  it('tenants and features are decided apart', async () => {
    const { demand, sent } = setup();
    await Promise.all([
      demand.request('contoso', users, 'notification'),
      demand.request('fabrikam', users, 'notification'),
      demand.request('contoso', { name: 'echo', lane: 'realtime' }, 'notification'),
    ]);
    expect(sent.map((s) => s.options.messageId).sort()).toEqual([
      'delta:contoso:echo:0a0b0c0d-1',
      'delta:contoso:users:0a0b0c0d-1',
      'delta:fabrikam:users:0a0b0c0d-1',
    ]);
  });

  it('a failed send rejects and gives the pending state back, so the retry queues a job (a new generation)', async () => {
    const { demand, sent, store, failNext } = setup();
    failNext(1);
    await expect(demand.request('contoso', users, 'notification')).rejects.toThrow('Service Bus is busy');
    expect(store.rows.get('contoso/users')).toMatchObject({ generation: 1, pending: false });
    expect(await demand.request('contoso', users, 'notification')).toBe(true);
    expect(sent.map((s) => s.options.messageId)).toEqual(['delta:contoso:users:0a0b0c0d-2']);
  });

  it('a pending job that never started is re-sent under the same id after the bound, once per bound', async () => {
    let now = new Date('2026-11-23T12:00:00.000Z');
    const store = new InMemoryDeltaDemandStore();
    const { queue, sent } = recordingQueue();
    const lost: JobQueue = { enqueue: async () => undefined, close: async () => undefined };
    // The first instance "died" between its write and its send: the row is pending, nothing is queued.
    await new DeltaDemand({ store, queue: lost, newEpoch: () => '0a0b0c0d', now: () => now }).request('contoso', users, 'notification');
    const demand = new DeltaDemand({ store, queue, now: () => now });
    now = new Date(now.getTime() + 59_000);
    expect(await demand.request('contoso', users, 'notification')).toBe(false);
    expect(sent).toHaveLength(0);
    now = new Date(now.getTime() + 1_000);
    expect(await demand.request('contoso', users, 'notification')).toBe(false);
    expect(sent.map((s) => s.options.messageId)).toEqual(['delta:contoso:users:0a0b0c0d-1']);
    expect(store.rows.get('contoso/users')).toMatchObject({ generation: 1, pending: true, pendingSince: now.toISOString() });
    const writes = store.writes;
    now = new Date(now.getTime() + 30_000);
    await demand.request('contoso', users, 'notification');
    expect(store.writes).toBe(writes);
  });

  it('the worker clears only its own generation', async () => {
    const { demand, sent, store } = setup();
    await demand.request('contoso', users, 'notification');
    const first = sent[0]!.job as Extract<SyncJob, { kind: 'sync' }>;
    await demand.jobStarting(first);
    await demand.request('contoso', users, 'notification');
    // Generation 1 delivered again (a retry): generation 2 stays pending.
    await demand.jobStarting(first);
    expect(store.rows.get('contoso/users')).toMatchObject({ generation: 2, pending: true });
    // A manual delta (no generation in its id) leaves the row alone too.
    await demand.jobStarting({ jobId: '01HZX0Q9ABCDEF', tenantId: 'contoso', feature: 'users' });
    expect(store.rows.get('contoso/users')).toMatchObject({ generation: 2, pending: true });
  });

  it('two instances over one table racing: one job, and every request either queued it or is covered by it', async () => {
    const store = new InMemoryDeltaDemandStore();
    const { queue, sent } = recordingQueue();
    const a = new DeltaDemand({ store, queue });
    const b = new DeltaDemand({ store, queue });
    const results = await Promise.all([a.request('contoso', users, 'notification'), b.request('contoso', users, 'notification')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(sent).toHaveLength(1);
    expect(store.rows.get('contoso/users')).toMatchObject({ generation: 1, pending: true });
  });
});
