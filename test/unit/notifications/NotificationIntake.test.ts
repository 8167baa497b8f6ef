import { describe, expect, it } from 'vitest';
import { clientStateHash } from '../../../shared/graph/clientState';
import { NotificationIntake } from '../../../shared/notifications/NotificationIntake';
import { CachedSubscriptionLookup } from '../../../shared/notifications/CachedSubscriptionLookup';
import { AppError } from '../../../shared/core/errors/AppError';
import { type EnqueueOptions, type JobQueue } from '../../../shared/platform/queue/JobQueue';
import { type SyncJob } from '../../../shared/app/jobs/SyncJob';
import { type SubscriptionRecord } from '../../../shared/subscriptions/SubscriptionStore';
import { TEST_DIRECTORY_ID, subscriptionRecord } from '../../support/subscriptionRecord';
import { defaultFeatureRegistry } from '../../../shared/features/defaultFeatureRegistry';
import { recordingDeltaRequests } from '../../support/recordingDeltaRequests';

const DIRECTORY = TEST_DIRECTORY_ID;
const STATE = 'the-client-state';
const S1 = '5a1f0c8e-0000-4000-8000-000000000001';
const S2 = '5a1f0c8e-0000-4000-8000-000000000002';
const UNKNOWN = '5a1f0c8e-0000-4000-8000-0000000000ff';

const record = (subscriptionId: string, tenantId = 'contoso') =>
  subscriptionRecord({ subscriptionId, tenantId, clientStateHash: clientStateHash(STATE) });

class RecordingQueue implements JobQueue {
  readonly sent: { job: SyncJob; options: EnqueueOptions }[] = [];
  readonly seen = new Set<string>();
  failNext = 0;
  async enqueue(job: SyncJob, options: EnqueueOptions = {}): Promise<void> {
    await new Promise((r) => setTimeout(r, 1));
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new AppError('TRANSIENT', 'queue unavailable');
    }
    if (this.seen.has(options.messageId!)) return;
    this.seen.add(options.messageId!);
    this.sent.push({ job, options });
  }
  async close(): Promise<void> {}
}

function intakeWith(records: SubscriptionRecord[], now = new Date('2026-11-23T12:00:00.100Z')) {
  const queue = new RecordingQueue();
  const byId = new Map(records.map((r) => [r.subscriptionId, r]));
  const lookup = new CachedSubscriptionLookup({
    get: async (id: string) => byId.get(id) ?? null,
    listForTenant: async () => [],
    save: async () => undefined,
    remove: async () => undefined,
  });
  const deltas = recordingDeltaRequests(queue);
  return {
    queue,
    intake: new NotificationIntake({ lookup, features: defaultFeatureRegistry(), queue, deltas, debounceMs: 2000, now: () => now }),
  };
}

const change = (subscriptionId: string, overrides: Record<string, unknown> = {}) => ({
  subscriptionId,
  subscriptionExpirationDateTime: '2026-12-20T00:00:00Z',
  changeType: 'updated',
  resource: 'Users/abc',
  resourceData: { '@odata.type': '#Microsoft.Graph.User', '@odata.id': 'Users/abc', id: 'abc', organizationId: DIRECTORY },
  clientState: STATE,
  tenantId: DIRECTORY,
  ...overrides,
});

describe('NotificationIntake', () => {
  it('collapses a burst of 100 notifications into one delta request per batch and one job', async () => {
    const { intake, queue } = intakeWith([record(S1)]);
    const results = await Promise.all(Array.from({ length: 10 }, () => intake.accept(Array.from({ length: 10 }, () => change(S1)))));
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(100);
    expect(results.reduce((n, r) => n + r.jobsEnqueued, 0)).toBe(1);
    expect(queue.sent).toHaveLength(1);
    expect(queue.sent[0]!.job).toMatchObject({
      tenantId: 'contoso',
      kind: 'sync',
      feature: 'users',
      lane: 'directory',
      mode: 'delta',
      trigger: 'notification',
    });
    expect(queue.sent[0]!.options).toEqual({ messageId: 'delta:contoso:users' });
    expect(intake.stats).toMatchObject({ received: 100, accepted: 100, jobsEnqueued: 1 });
  });

  it('drops and counts forged, unknown, foreign-tenant and malformed items, and enqueues nothing for them', async () => {
    const { intake, queue } = intakeWith([record(S1)]);
    const result = await intake.accept([
      change(S1, { clientState: 'guess' }),
      change(S1, { clientState: null }),
      change(UNKNOWN),
      change(S1, { tenantId: '99999999-9999-4999-8999-999999999999' }),
      { subscriptionId: S1, clientState: STATE },
      'not an object',
    ]);
    expect(result).toEqual({
      accepted: 0,
      dropped: { clientStateMismatch: 2, unknownSubscription: 1, tenantMismatch: 1, invalid: 2 },
      jobsEnqueued: 0,
    });
    expect(queue.sent).toEqual([]);
    expect(intake.stats.dropped).toEqual({
      invalid: 2,
      unknownSubscription: 1,
      clientStateMismatch: 2,
      tenantMismatch: 1,
      readLimit: 0,
      overloaded: 0,
      lookupFailed: 0,
    });
  });

  it('keeps the valid items of a batch that also carries bad ones', async () => {
    const { intake, queue } = intakeWith([record(S1)]);
    const result = await intake.accept([change(UNKNOWN), change(S1)]);
    expect(result).toMatchObject({ accepted: 1, jobsEnqueued: 1 });
    expect(queue.sent).toHaveLength(1);
  });

  it('accepts organizationId in place of tenantId (seen on lifecycle events)', async () => {
    const { intake, queue } = intakeWith([record(S1)]);
    const { tenantId: _omit, ...item } = change(S1, { lifecycleEvent: 'missed', resource: '' });
    const result = await intake.accept([{ ...item, organizationId: DIRECTORY }]);
    expect(result.accepted).toBe(1);
    expect(queue.sent[0]!.job).toMatchObject({ feature: 'users', mode: 'delta', trigger: 'lifecycle' });
  });

  it('turns lifecycle events into subscription jobs before the catch-up delta', async () => {
    const { intake, queue } = intakeWith([record(S1), record(S2)]);
    await intake.accept([
      change(S1, { lifecycleEvent: 'subscriptionRemoved' }),
      change(S2, { lifecycleEvent: 'reauthorizationRequired' }),
      change(S2, { lifecycleEvent: 'missed' }),
    ]);
    expect(queue.sent.map((s) => s.job)).toEqual([
      expect.objectContaining({
        kind: 'subscriptions',
        lane: 'directory',
        action: 'recreate',
        subscriptionId: S1,
        tenantId: 'contoso',
        trigger: 'lifecycle',
      }),
      expect.objectContaining({ kind: 'subscriptions', action: 'reauthorize', subscriptionId: S2 }),
      expect.objectContaining({ feature: 'users', mode: 'delta', trigger: 'lifecycle' }),
    ]);
    expect(intake.stats.lifecycleEvents).toBe(3);
  });

  it('a repeated lifecycle event in the same window queues one job', async () => {
    const { intake, queue } = intakeWith([record(S1)]);
    await intake.accept([change(S1, { lifecycleEvent: 'subscriptionRemoved' })]);
    await intake.accept([change(S1, { lifecycleEvent: 'subscriptionRemoved' })]);
    expect(queue.sent).toHaveLength(1);
  });

  it('rejects when the job cannot be queued, and a retry of the same notification queues it', async () => {
    const { intake, queue } = intakeWith([record(S1)]);
    queue.failNext = 1;
    await expect(intake.accept([change(S1)])).rejects.toThrow('queue unavailable');
    expect(queue.sent).toHaveLength(0);
    expect((await intake.accept([change(S1)])).jobsEnqueued).toBe(1);
    expect(queue.sent).toHaveLength(1);
  });

  it('one job per tenant when a batch mixes tenants', async () => {
    const { intake, queue } = intakeWith([record(S1, 'contoso'), record(S2, 'fabrikam')]);
    const result = await intake.accept([change(S1), change(S2), change(S1)]);
    expect(result.jobsEnqueued).toBe(2);
    expect(queue.sent.map((s) => s.job.tenantId).sort()).toEqual(['contoso', 'fabrikam']);
  });

  it('turns notifications on a per-mailbox subscription into one refresh timer for its user per window, no delta', async () => {
    const user = 'c0ffee00-0000-4000-8000-000000000001';
    const events = subscriptionRecord({
      subscriptionId: S2,
      resource: 'calendar',
      graphResource: `users/${user}/events`,
      subject: user,
      clientStateHash: clientStateHash(STATE),
    });
    const { intake, queue } = intakeWith([events]);
    const eventChange = change(S2, { resource: `Users/${user}/Events/AAMk1`, resourceData: { id: 'AAMk1' } });
    const result = await intake.accept([eventChange, eventChange, eventChange]);
    expect(result.accepted).toBe(3);
    expect(queue.sent).toHaveLength(1);
    const [{ job, options }] = queue.sent as [{ job: SyncJob; options: EnqueueOptions }];
    expect(job).toMatchObject({
      kind: 'timer',
      feature: 'calendar',
      subject: user,
      lane: 'realtime',
      key: `refresh:${Date.parse('2026-11-23T12:00:00.000Z')}`,
    });
    // Read at the window's end, so the window's other changes are seen by the same read.
    expect(options.scheduledEnqueueTime).toEqual(new Date('2026-11-23T12:00:02.000Z'));
    // A repeat within the window collapses into the same message.
    await intake.accept([eventChange]);
    expect(queue.sent).toHaveLength(1);
  });
});
