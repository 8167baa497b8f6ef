import { randomBytes } from 'node:crypto';
import { AppError } from '../core/errors/AppError';
import { type JobQueue } from '../platform/queue/JobQueue';
import { type FeatureSyncJob } from '../app/jobs/SyncJob';
import { deltaDemandGenerationOf, deltaDemandJobId } from '../app/jobs/deltaDemandJobId';
import { type Lane } from '../features/FeatureManifest';
import { type SubscribedResource } from '../subscriptions/SubscriptionStore';
import { type DeltaDemandState, type DeltaDemandStore, type StoredDeltaDemand } from './DeltaDemandStore';
import { decideOnJobStart, decideOnRequest } from './deltaDemandDecision';

/** What asks for delta rounds (the webhooks, subscription upkeep, link events). */
export interface DeltaRequests {
  /** True when this call queued a new job; false when a pending one already covers the request. */
  request(tenantId: string, feature: { name: SubscribedResource; lane: Lane }, trigger: FeatureSyncJob['trigger']): Promise<boolean>;
}

export interface DeltaDemandOptions {
  store: DeltaDemandStore;
  queue: JobQueue;
  /** A pending job that has not started after this long is re-sent under the same id. Default 60 s. */
  staleAfterMs?: number;
  now?: () => Date;
  newEpoch?: () => string;
}

/** Conditional writes lost to other instances before giving up (the caller answers 503; Graph retries). */
const MAX_ATTEMPTS = 5;
export const DEFAULT_STALE_AFTER_MS = 60_000;

type Request = { tenantId: string; feature: { name: SubscribedResource; lane: Lane }; trigger: FeatureSyncJob['trigger'] };
/** Per tenant and feature in this process: the request being decided, and the one that waits for it. */
type Slot = { running?: Promise<boolean> | undefined; next?: Promise<boolean> | undefined };

/**
 * Per tenant and feature at most one delta job running and one pending, with the "pending" state in a table
 * every instance shares (`deltademand`, conditional writes with ETags):
 * - a request that finds a job pending (not started) has nothing to do: that job's round covers it;
 * - one that finds none claims the next generation (pending) and enqueues its job at once, message id per
 *   generation, so a concurrent or repeated enqueue of the same generation is dropped by the queue;
 * - the worker clears `pending` for its own generation before the round reads anything (`jobStarting`), so a
 *   change notified after that asks for the next generation, which waits behind the running job in the
 *   tenant+lane session and starts as soon as it ends.
 *
 * In one process, concurrent requests for the same tenant and feature share one decision: while one is being
 * decided, every newcomer joins the single request queued behind it, which reads after they all arrived (a
 * read that started before a request arrived could have seen a `pending` the worker cleared just after).
 */
export class DeltaDemand implements DeltaRequests {
  private readonly slots = new Map<string, Slot>();
  private readonly staleAfterMs: number;
  private readonly now: () => Date;
  private readonly newEpoch: () => string;

  constructor(private readonly options: DeltaDemandOptions) {
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.now = options.now ?? (() => new Date());
    this.newEpoch = options.newEpoch ?? (() => randomBytes(4).toString('hex'));
  }

  request(tenantId: string, feature: { name: SubscribedResource; lane: Lane }, trigger: FeatureSyncJob['trigger']): Promise<boolean> {
    const key = `${tenantId}/${feature.name}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = {};
      this.slots.set(key, slot);
    }
    // Joined: the queued request has not read yet, so its answer covers this one (which queued nothing itself).
    if (slot.next) return slot.next.then(() => false);
    if (!slot.running) return this.start(key, slot, { tenantId, feature, trigger });
    const running = slot.running;
    const own = slot;
    const next = running
      .catch(() => undefined)
      .then(() => {
        own.next = undefined;
        return this.start(key, own, { tenantId, feature, trigger });
      });
    slot.next = next;
    return next;
  }

  /**
   * Called by the worker before a delta job's round reads anything: ends the pending state of the job's own
   * generation. Jobs that no request queued (a manual delta, an old message) leave the row alone.
   */
  async jobStarting(job: Pick<FeatureSyncJob, 'jobId' | 'tenantId' | 'feature'>): Promise<void> {
    const generation = deltaDemandGenerationOf(job);
    if (!generation) return;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const current = await this.options.store.get(job.tenantId, job.feature);
      const next = decideOnJobStart(current, generation);
      if (!next) return;
      if (await this.options.store.write(job.tenantId, job.feature, current, next)) return;
    }
    throw new AppError('TRANSIENT', `delta demand ${job.tenantId}/${job.feature} kept changing; the job is retried`);
  }

  private start(key: string, slot: Slot, request: Request): Promise<boolean> {
    const running: Promise<boolean> = this.decide(request).finally(() => {
      if (slot.running === running) slot.running = undefined;
      if (!slot.running && !slot.next) this.slots.delete(key);
    });
    slot.running = running;
    return running;
  }

  private async decide({ tenantId, feature, trigger }: Request): Promise<boolean> {
    const { store, queue } = this.options;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const current = await store.get(tenantId, feature.name);
      const now = this.now();
      const decision = decideOnRequest(current, now, this.staleAfterMs, current?.epoch ?? this.newEpoch());
      if (decision.kind === 'covered') return false;
      const written = await store.write(tenantId, feature.name, current, decision.next);
      // Another instance changed the row first (it most likely queued the job): read again and decide again.
      if (!written) continue;
      const jobId = deltaDemandJobId(tenantId, feature.name, decision.next);
      const job: FeatureSyncJob = {
        kind: 'sync',
        jobId,
        tenantId,
        feature: feature.name,
        lane: feature.lane,
        mode: 'delta',
        trigger,
        requestedAt: now.toISOString(),
      };
      try {
        await queue.enqueue(job, { messageId: jobId });
      } catch (err) {
        await this.restore(tenantId, feature.name, written, decision.onSendFailed);
        throw err;
      }
      return decision.kind === 'claim';
    }
    throw new AppError('TRANSIENT', `delta demand ${tenantId}/${feature.name} kept changing under concurrent writers`);
  }

  /** After a failed send: no pending job that was never queued (if the row is still ours; else it moved on). */
  private async restore(tenantId: string, feature: string, written: StoredDeltaDemand, state: DeltaDemandState): Promise<void> {
    await this.options.store.write(tenantId, feature, written, state).catch(() => null);
  }
}
