import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clientStateHash } from '../../../shared/graph/clientState';
import { CachedSubscriptionLookup } from '../../../shared/notifications/CachedSubscriptionLookup';
import { DROP_LINES_PER_SECOND, NotificationIntake } from '../../../shared/notifications/NotificationIntake';
import { ReadBudget } from '../../../shared/notifications/ReadBudget';
import { InProcessJobQueue } from '../../../shared/platform/queue/InProcessJobQueue';
import { type SubscriptionRecord, type SubscriptionStore } from '../../../shared/subscriptions/SubscriptionStore';
import { defaultFeatureRegistry } from '../../../shared/features/defaultFeatureRegistry';
import { TEST_DIRECTORY_ID, subscriptionRecord } from '../../support/subscriptionRecord';
import { capturingLogger } from '../../support/capturingLogger';
import { recordingDeltaRequests } from '../../support/recordingDeltaRequests';

const STATE = 'the-client-state';
const REAL = '5a1f0c8e-0000-4000-8000-000000000001';
const OTHER_REAL = '5a1f0c8e-0000-4000-8000-000000000002';
const record = (subscriptionId: string, tenantId = 'contoso') =>
  subscriptionRecord({ subscriptionId, tenantId, clientStateHash: clientStateHash(STATE) });
const item = (subscriptionId: string, overrides: Record<string, unknown> = {}) => ({
  subscriptionId,
  changeType: 'updated',
  resource: 'Users/abc',
  clientState: STATE,
  tenantId: TEST_DIRECTORY_ID,
  ...overrides,
});
const forged = () => item(randomUUID(), { clientState: randomUUID(), tenantId: randomUUID() });

function setup(records: SubscriptionRecord[], options: { hang?: Set<string>; fail?: Set<string>; budget?: ReadBudget } = {}) {
  const byId = new Map(records.map((r) => [r.subscriptionId, r]));
  const reads: string[] = [];
  const store: SubscriptionStore = {
    get: async (id) => {
      reads.push(id);
      if (options.hang?.has(id)) return new Promise<never>(() => undefined);
      await new Promise((r) => setTimeout(r, 1));
      if (options.fail?.has(id)) throw new Error('table unavailable');
      return byId.get(id) ?? null;
    },
    listForTenant: async () => [],
    save: async () => undefined,
    remove: async () => undefined,
  };
  let now = new Date('2026-11-23T12:00:00.100Z');
  const queue = new InProcessJobQueue();
  const lookup = new CachedSubscriptionLookup(store, { readTimeoutMs: 200, ...(options.budget ? { budget: options.budget } : {}) });
  const intake = new NotificationIntake({
    lookup,
    features: defaultFeatureRegistry(),
    queue,
    deltas: recordingDeltaRequests(queue),
    debounceMs: 2000,
    now: () => now,
  });
  return { intake, queue, reads, lookup, setNow: (next: Date) => (now = next) };
}

describe('NotificationIntake under attack', () => {
  it('1,000 forged ids: at most 16 table reads, nothing enqueued, one log line, no retry asked', async () => {
    const { intake, queue, reads } = setup([record(REAL)]);
    const log = capturingLogger();
    const result = await intake.accept(
      Array.from({ length: 1000 }, () => forged()),
      log.logger,
    );
    expect(reads.length).toBeLessThanOrEqual(16);
    expect(result).toEqual({ accepted: 0, dropped: { unknownSubscription: 16, readLimit: 984 }, jobsEnqueued: 0 });
    expect(queue.stats().enqueued).toBe(0);
    expect(log.records).toHaveLength(1);
    expect(log.records[0]!.fields).toMatchObject({ items: 1000, accepted: 0, unknownSubscription: 16, readLimit: 984 });
  });

  it('a real item is queued while a forged item beside it is still being read (it neither waits nor fails)', async () => {
    const hangingId = randomUUID();
    const { intake, queue, lookup } = setup([record(REAL)], { hang: new Set([hangingId]) });
    await lookup.lookupMany([REAL]); // the real subscription is cached, as it is after its first notification
    let queuedAt = 0;
    const enqueue = queue.enqueue.bind(queue);
    queue.enqueue = async (job, options) => {
      queuedAt = Date.now();
      await enqueue(job, options);
    };
    const started = Date.now();
    const result = await intake.accept([item(hangingId), item(REAL)]);
    const answeredAt = Date.now();
    expect(queuedAt - started).toBeLessThan(100);
    expect(answeredAt - started).toBeGreaterThanOrEqual(150); // the forged item's read ran into its 200 ms timeout
    expect(answeredAt - started).toBeLessThan(1000);
    expect(result).toMatchObject({ accepted: 1, jobsEnqueued: 1, dropped: { lookupFailed: 1 }, retry: 'lookupFailed' });
  });

  it('a failed table read asks for the batch again (503), and the real item beside it is still queued', async () => {
    const broken = randomUUID();
    const { intake, queue } = setup([record(REAL)], { fail: new Set([broken]) });
    const result = await intake.accept([item(broken), item(REAL)]);
    expect(result).toMatchObject({ accepted: 1, jobsEnqueued: 1, dropped: { lookupFailed: 1 }, retry: 'lookupFailed' });
    expect(queue.stats().enqueued).toBe(1);
    expect(intake.stats.retriesAsked).toBe(1);
  });

  it('when the process-wide budget is spent, unknown ids are `overloaded` and the batch asked again', async () => {
    const { intake } = setup([record(REAL)], { budget: new ReadBudget({ burst: 2, perSecond: 0.001 }) });
    const result = await intake.accept([forged(), forged(), forged(), forged()]);
    expect(result).toMatchObject({ accepted: 0, dropped: { unknownSubscription: 2, overloaded: 2 }, retry: 'overloaded' });
  });

  it('over the per-request read cap: 202 for a batch with nothing of ours, 503 for one that proved to come from Graph', async () => {
    const reals = Array.from({ length: 20 }, () => randomUUID());
    const { intake, queue } = setup(reals.map((id) => record(id)));
    const genuine = await intake.accept(reals.map((id) => item(id)));
    expect(genuine).toMatchObject({ accepted: 16, dropped: { readLimit: 4 }, retry: 'readLimit' });
    expect(queue.stats().enqueued).toBe(1);
    // Graph delivers it again: the 16 are cached now, the other 4 are read.
    const again = await intake.accept(reals.map((id) => item(id)));
    expect(again).toEqual({ accepted: 20, dropped: {}, jobsEnqueued: 0 });
    const forgedOnly = await intake.accept(Array.from({ length: 20 }, () => forged()));
    expect(forgedOnly.retry).toBeUndefined();
  });

  it('a mixed batch of two real subscriptions and forged items queues one job per tenant', async () => {
    const { intake, queue } = setup([record(REAL, 'contoso'), record(OTHER_REAL, 'fabrikam')]);
    const result = await intake.accept([forged(), item(REAL), forged(), item(OTHER_REAL), 'junk', { subscriptionId: 'x/y' }]);
    expect(result).toMatchObject({ accepted: 2, jobsEnqueued: 2, dropped: { unknownSubscription: 2, invalid: 2 } });
    expect(queue.stats().enqueued).toBe(2);
  });

  it(`writes at most ${DROP_LINES_PER_SECOND} drop lines a second and says how many it left out`, async () => {
    const { intake, setNow } = setup([]);
    const log = capturingLogger();
    for (let i = 0; i < 20; i += 1) await intake.accept([{ subscriptionId: 'x/y' }, forged()], log.logger);
    expect(log.records).toHaveLength(DROP_LINES_PER_SECOND);
    expect(intake.stats.dropLinesSuppressed).toBe(20 - DROP_LINES_PER_SECOND);
    setNow(new Date('2026-11-23T12:00:01.100Z'));
    await intake.accept([forged()], log.logger);
    expect(log.records.at(-1)!.fields).toMatchObject({ linesSuppressedBefore: 20 - DROP_LINES_PER_SECOND });
    expect(intake.stats.dropped.invalid).toBe(20);
  });
});
