import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { isAppError } from '../../../shared/core/errors/AppError';
import { type DeadLetter } from '../../../shared/platform/queue/DeadLetter';
import { type JobHandler } from '../../../shared/platform/queue/JobHandler';
import { type EnqueueOptions } from '../../../shared/platform/queue/JobQueue';
import { DEFAULT_STALE_AFTER_MS } from '../../../shared/notifications/DeltaDemand';
import { type FeatureSyncJob, type SubscriptionJob, type SyncJob, sessionOf } from '../../../shared/app/jobs/SyncJob';
import { syncJobFor } from '../../unit/platform/queue/syncJobFor';

/**
 * The behaviour the connector relies on from its job queue, written once and run against each implementation
 * (inProcessJobQueue.contract.test.ts, serviceBusJobQueue.contract.test.ts). Jobs go in through the JobQueue port;
 * consuming is the harness's part, because in Azure the Functions host's session trigger consumes, not our code.
 */
export type JobQueueClause =
  | 'deliveredUnchanged'
  | 'oneConsumerPerSession'
  | 'orderWithinSession'
  | 'duplicateDetection'
  | 'scheduledDelivery'
  | 'abandonRedelivers'
  | 'deadLetterAfterMaxDeliveries'
  | 'lockExpiryRedelivers'
  | 'invalidJobRefused'
  | 'productionSettings';

/**
 * Production's numbers: Service Bus's defaults (infra/README.md; the Bicep is not written yet), which
 * InProcessJobQueueOptions mirrors. The duplicate window must outlast the re-send of a pending delta job that looks
 * lost (DEFAULT_STALE_AFTER_MS, docs/DESIGN-NOTES.md) and the longest notification debounce (60 s, AppSettings), or a
 * re-send would queue a second copy.
 */
const PRODUCTION = { maxDeliveryCount: 10, duplicateWindowOutlastsMs: Math.max(DEFAULT_STALE_AFTER_MS, 60_000) };

const CLAUSES: Record<JobQueueClause, string> = {
  deliveredUnchanged: 'hands the handler the enqueued job unchanged, with its message id and delivery count 1',
  oneConsumerPerSession: 'runs one job of a session at a time, and different sessions (tenants, lanes) in parallel',
  orderWithinSession: 'delivers the jobs of a session in enqueue order',
  duplicateDetection:
    'drops a second message with the same message id inside the duplicate window, queued or already consumed; the job id is the default message id',
  scheduledDelivery: 'holds a scheduled job until its enqueue time, without holding back the ready jobs of its session',
  abandonRedelivers: 'redelivers a job whose handler threw, with deliveryCount + 1, before the next job of its session',
  deadLetterAfterMaxDeliveries: 'dead-letters a job after the max delivery count, keeping a reason, and carries on with its session',
  lockExpiryRedelivers: 'lock expiry: redelivers a job whose handler held it past the lock duration without renewing',
  invalidJobRefused: 'refuses an invalid job or invalid options at enqueue with INVALID, and delivers nothing of them',
  productionSettings: `is configured like production: ${PRODUCTION.maxDeliveryCount} deliveries before dead-lettering, a duplicate window longer than ${PRODUCTION.duplicateWindowOutlastsMs / 1000} s`,
};

/** The queue's timing, which sizes every wait so each clause stays as short as its implementation allows. */
export interface JobQueueTiming {
  /** How long a handler works in the parallelism clause: long enough that sessions served in parallel overlap. */
  handlerWorkMs: number;
  /** How far ahead the scheduled-delivery clause schedules: well above the delivery latency. */
  scheduleAheadMs: number;
  /** How far this machine's clock may be from the queue's (0 when the queue runs on this clock). */
  clockSkewMs: number;
  /** Wait before a thrown delivery is retried (the in-process backoff; Service Bus redelivers at once). */
  retryDelayMs: number;
  /** Longest wait for an expected delivery before a clause fails. */
  patienceMs: number;
  /** Session lock duration; undefined when the consuming process itself is the lock. */
  lockDurationMs: number | undefined;
}

export interface ConsumeOptions {
  /** Renew the session lock while a handler runs, as the Functions host does (default true). */
  renewLock?: boolean;
}

/** One fresh queue under the contract, with the means to consume it the way production does. */
export interface JobQueueHarness {
  /** Enqueues through the JobQueue port under test. */
  enqueue(job: SyncJob, options?: EnqueueOptions): Promise<void>;
  /** Starts consuming: sessions, completion on success, abandon on a thrown handler, dead letters. */
  start(handler: JobHandler, options?: ConsumeOptions): void;
  /** Resolves once nothing runs and nothing more is about to be delivered. */
  settle(): Promise<void>;
  /** The dead letters of this harness's sessions. */
  deadLetters(): Promise<DeadLetter[]>;
  /** The reason a dead letter keeps when its last delivery threw `lastError`. */
  deadLetterReason(lastError: Error): string;
  /** The queue's own numbers; the duplicate window is undefined when it cannot be read. */
  readonly settings: { maxDeliveryCount: number; duplicateDetectionWindowMs: number | undefined };
  readonly timing: JobQueueTiming;
  /** Clauses this queue cannot check, known only once it is built (e.g. its lock is too long), with why. */
  readonly uncheckable: Partial<Record<JobQueueClause, string>>;
  /** Stops consuming, removes what the clause left in its sessions and closes the port. */
  dispose(): Promise<void>;
}

export interface JobQueueImplementation {
  /** Named in skip titles: "not checkable on <name>". */
  name: string;
  /** Clauses this implementation can never check, with why; each is listed as a skipped test with the reason. */
  uncheckable: Partial<Record<JobQueueClause, string>>;
  /** A fresh queue for one clause. */
  makeHarness(): Promise<JobQueueHarness>;
  /** Per-clause timeout: a remote queue needs more than the default. */
  clauseTimeoutMs: number;
}

// Unique per run and clause, so leftovers in a shared queue (and its duplicate window) never meet a clause's jobs.
const RUN_ID = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
let scenarioCount = 0;

/** Tenant and job ids of one clause; a job id is `<label>@<scenario>`, and deliveries are reported by label. */
function newScenario() {
  scenarioCount += 1;
  const scenario = `${RUN_ID}-${scenarioCount}`;
  const jobId = (label: string) => `${label}@${scenario}`;
  return {
    tenant: (name: string) => `${name}-${scenario}`,
    jobId,
    job: (tenant: string, label: string, overrides: Partial<FeatureSyncJob> = {}) => syncJobFor(tenant, jobId(label), overrides),
  };
}
type Scenario = ReturnType<typeof newScenario>;

const labelOf = (jobId: string) => jobId.slice(0, jobId.indexOf('@'));

interface Delivery {
  label: string;
  session: string;
  deliveryCount: number;
  messageId: string;
  job: SyncJob;
  startedAt: number;
}

/** A handler that records each delivery and how many run at once, overall and per session; `work` is the job. */
function recordingHandler(work: (delivery: Delivery) => Promise<void> = async () => {}) {
  const deliveries: Delivery[] = [];
  const runningBySession = new Map<string, number>();
  const peak = { overall: 0, perSession: 0 };
  let running = 0;
  const handler: JobHandler = async (job, { deliveryCount, messageId }) => {
    const delivery = { label: labelOf(job.jobId), session: sessionOf(job), deliveryCount, messageId, job, startedAt: Date.now() };
    deliveries.push(delivery);
    running += 1;
    runningBySession.set(delivery.session, (runningBySession.get(delivery.session) ?? 0) + 1);
    peak.overall = Math.max(peak.overall, running);
    peak.perSession = Math.max(peak.perSession, runningBySession.get(delivery.session)!);
    try {
      await work(delivery);
    } finally {
      running -= 1;
      runningBySession.set(delivery.session, runningBySession.get(delivery.session)! - 1);
    }
  };
  /** `label#deliveryCount` of every delivery so far, in delivery order. */
  const seen = (session?: string) =>
    deliveries.filter((d) => !session || d.session === session).map((d) => `${d.label}#${d.deliveryCount}`);
  return { handler, deliveries, peak, seen };
}

/** Polls until `condition` holds; fails naming what it waited for. */
async function until(what: string, withinMs: number, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`waited ${withinMs} ms for ${what}`);
    await sleep(Math.max(5, Math.min(250, withinMs / 100)));
  }
}

/** Registers the contract's clauses in the enclosing describe block; each clause gets a fresh queue. */
export function jobQueueContract(implementation: JobQueueImplementation): void {
  const clause = (key: JobQueueClause, body: (harness: JobQueueHarness, scenario: Scenario) => Promise<void>) => {
    const reason = implementation.uncheckable[key];
    if (reason) {
      it.skip(`${CLAUSES[key]} — not checkable on ${implementation.name}: ${reason}`);
      return;
    }
    it(
      CLAUSES[key],
      async (context) => {
        const harness = await implementation.makeHarness();
        try {
          const reasonHere = harness.uncheckable[key];
          if (reasonHere) context.skip(`not checkable on ${implementation.name}: ${reasonHere}`);
          await body(harness, newScenario());
        } finally {
          await harness.dispose();
        }
      },
      implementation.clauseTimeoutMs,
    );
  };

  clause('deliveredUnchanged', async (harness, scenario) => {
    const tenant = scenario.tenant('contoso');
    const sync = scenario.job(tenant, 'manual', { mode: 'full', trigger: 'manual', runId: 'run-1' });
    const upkeep: SubscriptionJob = {
      kind: 'subscriptions',
      jobId: scenario.jobId('upkeep'),
      tenantId: tenant,
      lane: 'directory',
      action: 'recreate',
      subscriptionId: 'sub-1',
      trigger: 'lifecycle',
      requestedAt: '2025-01-01T00:00:00.000Z',
    };
    const recorder = recordingHandler();
    harness.start(recorder.handler);
    await harness.enqueue(sync, { messageId: `run:${tenant}:1` });
    await harness.enqueue(upkeep);
    await until('2 deliveries', harness.timing.patienceMs, () => recorder.deliveries.length >= 2);
    await harness.settle();
    expect(recorder.deliveries.map(({ job, messageId, deliveryCount }) => ({ job, messageId, deliveryCount }))).toEqual([
      { job: sync, messageId: `run:${tenant}:1`, deliveryCount: 1 },
      { job: upkeep, messageId: upkeep.jobId, deliveryCount: 1 },
    ]);
  });

  clause('oneConsumerPerSession', async (harness, scenario) => {
    const sessions = [
      { name: 'contoso', lane: 'directory' },
      { name: 'contoso', lane: 'realtime' },
      { name: 'fabrikam', lane: 'directory' },
    ] as const;
    const jobsPerSession = 3;
    const recorder = recordingHandler(() => sleep(harness.timing.handlerWorkMs));
    harness.start(recorder.handler);
    for (let n = 1; n <= jobsPerSession; n += 1) {
      for (const { name, lane } of sessions) await harness.enqueue(scenario.job(scenario.tenant(name), `${name}-${lane}-${n}`, { lane }));
    }
    const total = sessions.length * jobsPerSession;
    await until(
      `${total} deliveries`,
      harness.timing.patienceMs + total * harness.timing.handlerWorkMs,
      () => recorder.deliveries.length >= total,
    );
    await harness.settle();
    expect(recorder.deliveries).toHaveLength(total);
    expect(recorder.peak.perSession).toBe(1);
    expect(recorder.peak.overall).toBe(sessions.length);
  });

  clause('orderWithinSession', async (harness, scenario) => {
    const contoso = scenario.tenant('contoso');
    const fabrikam = scenario.tenant('fabrikam');
    const recorder = recordingHandler();
    harness.start(recorder.handler);
    // Interleaved with another session: the order owed is per session, not across sessions.
    for (const [tenant, label] of [
      [contoso, 'a1'],
      [fabrikam, 'b1'],
      [contoso, 'a2'],
      [contoso, 'a3'],
      [fabrikam, 'b2'],
      [contoso, 'a4'],
      [contoso, 'a5'],
      [fabrikam, 'b3'],
    ] as const) {
      await harness.enqueue(scenario.job(tenant, label));
    }
    await until('8 deliveries', harness.timing.patienceMs, () => recorder.deliveries.length >= 8);
    await harness.settle();
    expect(recorder.seen(`${contoso}/directory`)).toEqual(['a1#1', 'a2#1', 'a3#1', 'a4#1', 'a5#1']);
    expect(recorder.seen(`${fabrikam}/directory`)).toEqual(['b1#1', 'b2#1', 'b3#1']);
  });

  clause('duplicateDetection', async (harness, scenario) => {
    const tenant = scenario.tenant('contoso');
    const messageId = `delta:${tenant}:users:1`;
    const recorder = recordingHandler();
    // Sent twice while the first is still queued (two instances racing to enqueue one generation).
    await harness.enqueue(scenario.job(tenant, 'first'), { messageId });
    await harness.enqueue(scenario.job(tenant, 'queued-copy'), { messageId });
    harness.start(recorder.handler);
    await until('the first delivery', harness.timing.patienceMs, () => recorder.deliveries.length >= 1);
    await harness.settle();
    // Sent again after the first was consumed (the stale-pending re-send), still inside the window.
    await harness.enqueue(scenario.job(tenant, 'consumed-copy'), { messageId });
    const byJobId = scenario.job(tenant, 'by-job-id');
    await harness.enqueue(byJobId);
    await harness.enqueue({ ...byJobId, mode: 'full' });
    await harness.enqueue(scenario.job(tenant, 'last'));
    await until('3 deliveries', harness.timing.patienceMs, () => recorder.deliveries.length >= 3);
    await harness.settle();
    expect(recorder.seen()).toEqual(['first#1', 'by-job-id#1', 'last#1']);
    expect(recorder.deliveries[0]!.messageId).toBe(messageId);
    expect(recorder.deliveries[1]!.messageId).toBe(byJobId.jobId);
    expect(recorder.deliveries[1]!.job).toEqual(byJobId);
  });

  clause('scheduledDelivery', async (harness, scenario) => {
    const tenant = scenario.tenant('contoso');
    const recorder = recordingHandler();
    harness.start(recorder.handler);
    const dueAt = Date.now() + harness.timing.scheduleAheadMs;
    await harness.enqueue(scenario.job(tenant, 'debounced'), { scheduledEnqueueTime: new Date(dueAt) });
    await harness.enqueue(scenario.job(tenant, 'manual'));
    await until('2 deliveries', harness.timing.scheduleAheadMs + harness.timing.patienceMs, () => recorder.deliveries.length >= 2);
    await harness.settle();
    expect(recorder.seen()).toEqual(['manual#1', 'debounced#1']);
    expect(recorder.deliveries[0]!.startedAt).toBeLessThan(dueAt);
    expect(recorder.deliveries[1]!.startedAt).toBeGreaterThanOrEqual(dueAt - harness.timing.clockSkewMs);
  });

  clause('abandonRedelivers', async (harness, scenario) => {
    const tenant = scenario.tenant('contoso');
    const flaky = scenario.job(tenant, 'flaky');
    const recorder = recordingHandler(async ({ label, deliveryCount }) => {
      if (label === 'flaky' && deliveryCount < 3) throw new Error('PBX hiccup');
    });
    // Both queued before consuming starts, so the next job is waiting while the flaky one fails.
    await harness.enqueue(flaky);
    await harness.enqueue(scenario.job(tenant, 'next'));
    harness.start(recorder.handler);
    await until('4 deliveries', harness.timing.patienceMs + 3 * harness.timing.retryDelayMs, () => recorder.deliveries.length >= 4);
    await harness.settle();
    expect(recorder.seen()).toEqual(['flaky#1', 'flaky#2', 'flaky#3', 'next#1']);
    expect(recorder.deliveries.slice(0, 3).map((d) => d.messageId)).toEqual([flaky.jobId, flaky.jobId, flaky.jobId]);
    expect(await harness.deadLetters()).toEqual([]);
  });

  clause('deadLetterAfterMaxDeliveries', async (harness, scenario) => {
    const tenant = scenario.tenant('contoso');
    const poison = scenario.job(tenant, 'poison');
    const lastError = new Error('tenant config is broken');
    const recorder = recordingHandler(async ({ label }) => {
      if (label === 'poison') throw lastError;
    });
    await harness.enqueue(poison);
    await harness.enqueue(scenario.job(tenant, 'after'));
    harness.start(recorder.handler);
    const { maxDeliveryCount } = harness.settings;
    const withinMs = harness.timing.patienceMs + maxDeliveryCount * harness.timing.retryDelayMs;
    await until(`${maxDeliveryCount + 1} deliveries`, withinMs, () => recorder.deliveries.length >= maxDeliveryCount + 1);
    await until('the dead letter', harness.timing.patienceMs, async () => (await harness.deadLetters()).length > 0);
    await harness.settle();
    const poisonDeliveries = Array.from({ length: maxDeliveryCount }, (_, n) => `poison#${n + 1}`);
    expect(recorder.seen()).toEqual([...poisonDeliveries, 'after#1']);
    const deadLetters = await harness.deadLetters();
    expect(deadLetters).toEqual([{ job: poison, reason: harness.deadLetterReason(lastError), deliveryCount: maxDeliveryCount }]);
    expect(deadLetters[0]!.reason).not.toBe('');
  });

  clause('lockExpiryRedelivers', async (harness, scenario) => {
    const lockDurationMs = harness.timing.lockDurationMs!;
    let redelivered!: () => void;
    const redelivery = new Promise<void>((resolve) => (redelivered = resolve));
    const recorder = recordingHandler(async ({ deliveryCount }) => {
      // The first delivery outlives its lock; it lets go once the redelivery has shown up.
      if (deliveryCount === 1) await Promise.race([redelivery, sleep(3 * lockDurationMs)]);
      else redelivered();
    });
    harness.start(recorder.handler, { renewLock: false });
    await harness.enqueue(scenario.job(scenario.tenant('contoso'), 'held'));
    await until('the redelivery', lockDurationMs + harness.timing.patienceMs, () => recorder.deliveries.length >= 2);
    await harness.settle();
    expect(recorder.seen()).toEqual(['held#1', 'held#2']);
    // The lock was taken a little before the first delivery started.
    expect(recorder.deliveries[1]!.startedAt - recorder.deliveries[0]!.startedAt).toBeGreaterThanOrEqual(lockDurationMs - 1000);
  });

  clause('invalidJobRefused', async (harness, scenario) => {
    const tenant = scenario.tenant('contoso');
    const recorder = recordingHandler();
    harness.start(recorder.handler);
    const refusals = [
      harness.enqueue({ ...scenario.job(tenant, 'bad-mode'), mode: 'sometimes' } as unknown as SyncJob),
      harness.enqueue({ ...scenario.job(tenant, 'extra-field'), extra: 1 } as unknown as SyncJob),
      harness.enqueue({ ...scenario.job(tenant, 'bad-tenant'), tenantId: 'Not A Tenant' }),
      harness.enqueue(scenario.job(tenant, 'empty-message-id'), { messageId: '' }),
      harness.enqueue(scenario.job(tenant, 'long-message-id'), { messageId: 'm'.repeat(129) }),
      harness.enqueue(scenario.job(tenant, 'bad-schedule'), { scheduledEnqueueTime: new Date('nope') }),
    ];
    for (const refusal of refusals) await expect(refusal).rejects.toSatisfy((err) => isAppError(err, 'INVALID'));
    await harness.enqueue(scenario.job(tenant, 'valid'));
    await until('the valid job', harness.timing.patienceMs, () => recorder.deliveries.length >= 1);
    await harness.settle();
    expect(recorder.seen()).toEqual(['valid#1']);
  });

  clause('productionSettings', async (harness) => {
    expect(harness.settings.maxDeliveryCount).toBe(PRODUCTION.maxDeliveryCount);
    expect(harness.settings.duplicateDetectionWindowMs).toBeGreaterThan(PRODUCTION.duplicateWindowOutlastsMs);
  });
}
