import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clientStateHash } from '../../../shared/graph/clientState';
import { type FeatureSyncJob, type SyncJob } from '../../../shared/app/jobs/SyncJob';
import { type Services } from '../../../shared/app/Services';
import { notificationServices } from '../../../shared/app/notificationServices';
import { processJob } from '../../../shared/app/processJob';
import { Logger } from '../../../shared/core/logging/Logger';
import { DeltaDemand } from '../../../shared/notifications/DeltaDemand';
import { type EnqueueOptions } from '../../../shared/platform/queue/JobQueue';
import { type InProcessJobQueue } from '../../../shared/platform/queue/InProcessJobQueue';
import { createTestServices } from '../../support/testServices';
import { TEST_DIRECTORY_ID, subscriptionRecord } from '../../support/subscriptionRecord';

const STATE = 'the-client-state';
const SUBSCRIPTION = '5a1f0c8e-0000-4000-8000-000000000001';
const users = { name: 'users', lane: 'directory' } as const;

let services: Services & { queue: InProcessJobQueue };
let sent: { job: SyncJob; options: EnqueueOptions; at: number }[];

const change = (id = 'abc') => ({
  subscriptionId: SUBSCRIPTION,
  subscriptionExpirationDateTime: '2026-12-20T00:00:00Z',
  changeType: 'updated',
  resource: `Users/${id}`,
  resourceData: { id },
  clientState: STATE,
  tenantId: TEST_DIRECTORY_ID,
});
const deltaIds = () => sent.filter((s) => s.job.kind === 'sync').map((s) => s.options.messageId);

/** A gate the stand-in worker waits at while "its delta round runs". */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/**
 * Starts the queue with the worker's part of the protocol (the call processSyncJob makes before a delta
 * round), then `round` standing in for the round itself.
 */
function startWorker(round: (job: FeatureSyncJob, deliveryCount: number) => Promise<void> = async () => undefined) {
  const ran: { jobId: string; startedAt: number }[] = [];
  services.queue.start(async (job, { deliveryCount }) => {
    if (job.kind !== 'sync') return;
    if (job.mode === 'delta') await services.deltaRequests.jobStarting(job);
    ran.push({ jobId: job.jobId, startedAt: Date.now() });
    await round(job, deliveryCount);
  });
  return ran;
}

beforeEach(async () => {
  services = await createTestServices({}, { publicBaseUrl: 'https://fn.example' });
  await services.subscriptions.save(subscriptionRecord({ subscriptionId: SUBSCRIPTION, clientStateHash: clientStateHash(STATE) }));
  sent = [];
  const enqueue = services.queue.enqueue.bind(services.queue);
  services.queue.enqueue = async (job, options = {}) => {
    sent.push({ job, options, at: Date.now() });
    await enqueue(job, options);
  };
});

describe('delta demand (webhook → Table Storage → queue → worker, over Azurite)', () => {
  it('a lone notification queues one delta job at once: no scheduled delay, message id per generation', async () => {
    const ran = startWorker();
    const acceptedAt = Date.now();
    expect(await services.webhook.accept([change()])).toMatchObject({ accepted: 1, jobsEnqueued: 1 });
    await services.queue.idle({ withinMs: 0 });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.options).toEqual({ messageId: expect.stringMatching(/^delta:contoso:users:[0-9a-f]{8}-1$/) });
    expect(sent[0]!.job).toMatchObject({ kind: 'sync', tenantId: 'contoso', feature: 'users', mode: 'delta', trigger: 'notification' });
    expect(ran).toHaveLength(1);
    expect(ran[0]!.startedAt - acceptedAt).toBeLessThan(1000);
    // The worker ended the pending state before its round.
    expect(await services.deltaDemand.get('contoso', 'users')).toMatchObject({ generation: 1, pending: false });
  });

  it('a burst of 100 while a job runs: at most one more job, which starts as soon as the running one ends', async () => {
    const first = gate();
    const ran = startWorker(async (job) => {
      if (job.jobId.endsWith('-1')) await first.opened;
    });
    await services.webhook.accept([change()]);
    await vi.waitFor(() => expect(ran).toHaveLength(1), { timeout: 5000, interval: 5 });
    // 100 notifications while generation 1 runs: 10 concurrent batches of 5, then 50 one by one.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, b) => services.webhook.accept(Array.from({ length: 5 }, (_, i) => change(`u${b}-${i}`)))),
    );
    for (let i = 0; i < 50; i += 1) results.push(await services.webhook.accept([change(`v${i}`)]));
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(100);
    expect(results.reduce((n, r) => n + r.jobsEnqueued, 0)).toBe(1);
    expect(deltaIds()).toEqual([expect.stringMatching(/-1$/), expect.stringMatching(/-2$/)]);
    expect(ran).toHaveLength(1);
    first.open();
    await services.queue.idle();
    expect(ran.map((r) => r.jobId.split('-').at(-1))).toEqual(['1', '2']);
    expect(await services.deltaDemand.get('contoso', 'users')).toMatchObject({ generation: 2, pending: false });
  });

  it('before the job starts a notification is covered by it; after the worker cleared pending it queues the next generation', async () => {
    expect(await services.deltaRequests.request('contoso', users, 'notification')).toBe(true);
    expect(await services.deltaRequests.request('contoso', users, 'notification')).toBe(false);
    expect(deltaIds()).toHaveLength(1);
    const round = gate();
    const ran = startWorker(() => round.opened);
    await vi.waitFor(() => expect(ran).toHaveLength(1), { timeout: 5000, interval: 5 });
    expect(await services.deltaRequests.request('contoso', users, 'notification')).toBe(true);
    expect(deltaIds()).toEqual([expect.stringMatching(/-1$/), expect.stringMatching(/-2$/)]);
    round.open();
    await services.queue.idle();
    expect(ran).toHaveLength(2);
  });

  it('a failing delta job keeps the guarantee: a change notified during the failed attempt gets its own job after the retry', async () => {
    const ran = startWorker(async (job, deliveryCount) => {
      if (job.jobId.endsWith('-1') && deliveryCount === 1) {
        // Notified after the worker cleared pending, while this attempt is still running.
        expect(await services.deltaRequests.request('contoso', users, 'notification')).toBe(true);
        throw new Error('Graph is down');
      }
    });
    await services.deltaRequests.request('contoso', users, 'notification');
    await services.queue.idle();
    expect(ran.map((r) => r.jobId.split('-').at(-1))).toEqual(['1', '1', '2']);
    expect(await services.deltaDemand.get('contoso', 'users')).toMatchObject({ generation: 2, pending: false });
  });

  it('a pending job whose enqueue was lost is re-sent under the same id once stale; one waiting in its session is not doubled', async () => {
    let now = new Date();
    const crashed = new DeltaDemand({
      store: services.deltaDemand,
      queue: { enqueue: async () => undefined, close: async () => undefined },
      now: () => now,
    });
    await crashed.request('contoso', users, 'notification');
    const lost = await services.deltaDemand.get('contoso', 'users');
    expect(lost).toMatchObject({ generation: 1, pending: true });
    const demand = new DeltaDemand({ store: services.deltaDemand, queue: services.queue, now: () => now });
    expect(await demand.request('contoso', users, 'notification')).toBe(false);
    expect(sent).toHaveLength(0);
    now = new Date(now.getTime() + 60_000);
    await demand.request('contoso', users, 'notification');
    expect(deltaIds()).toEqual([`delta:contoso:users:${lost!.epoch}-1`]);
    expect(services.queue.stats()).toMatchObject({ enqueued: 1, deduplicated: 0 });

    // The message exists (it waits in its session behind a long run): the next re-send is a dedupe no-op.
    now = new Date(now.getTime() + 60_000);
    await demand.request('contoso', users, 'notification');
    expect(deltaIds()).toEqual([`delta:contoso:users:${lost!.epoch}-1`, `delta:contoso:users:${lost!.epoch}-1`]);
    expect(services.queue.stats()).toMatchObject({ enqueued: 1, deduplicated: 1 });
    const ran = startWorker();
    await services.queue.idle();
    expect(ran).toHaveLength(1);
    expect(await services.deltaDemand.get('contoso', 'users')).toMatchObject({ generation: 1, pending: false });
  });

  it('two instances (two intakes over the same table) racing: one job', async () => {
    const other = notificationServices(
      services.notifications,
      services.queue,
      services.subscriptions,
      services.features,
      services.deltaDemand,
    );
    const results = await Promise.all([
      services.webhook.accept([change('a')]),
      other.webhook.accept([change('b')]),
      services.webhook.accept([change('c')]),
      other.webhook.accept([change('d')]),
    ]);
    expect(results.reduce((n, r) => n + r.jobsEnqueued, 0)).toBe(1);
    expect(deltaIds()).toHaveLength(1);
    expect(services.queue.stats()).toMatchObject({ enqueued: 1 });
  });

  it('the worker (processSyncJob) ends the pending state of its generation even when the tenant is gone', async () => {
    await services.deltaRequests.request('contoso', users, 'notification');
    const job = sent[0]!.job;
    await processJob(services, job, Logger.silent());
    expect(await services.deltaDemand.get('contoso', 'users')).toMatchObject({ generation: 1, pending: false });
    expect(await services.deltaRequests.request('contoso', users, 'notification')).toBe(true);
  });
});
