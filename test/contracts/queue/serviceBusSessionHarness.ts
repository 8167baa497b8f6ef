import { setTimeout as sleep } from 'node:timers/promises';
import { type TokenCredential } from '@azure/identity';
import {
  isServiceBusError,
  ServiceBusAdministrationClient,
  ServiceBusClient,
  type ServiceBusReceivedMessage,
  type ServiceBusSessionReceiver,
} from '@azure/service-bus';
import { ensureError } from '../../../shared/core/errors/ensureError';
import { type DeadLetter } from '../../../shared/platform/queue/DeadLetter';
import { type JobHandler } from '../../../shared/platform/queue/JobHandler';
import { type EnqueueOptions, type JobQueue } from '../../../shared/platform/queue/JobQueue';
import { type SyncJob, sessionOf } from '../../../shared/app/jobs/SyncJob';
import { type ConsumeOptions, type JobQueueClause, type JobQueueHarness, type JobQueueTiming } from './jobQueueContract';

/** What the contract needs to know of the test queue, read from its properties when the identity may. */
export interface ServiceBusQueueFacts {
  maxDeliveryCount: number;
  duplicateDetectionWindowMs: number | undefined;
  lockDurationMs: number | undefined;
  /** Why the properties could not be read, when they could not. */
  unreadable?: string;
}

/** Service Bus's default, which production keeps; assumed when the queue's properties cannot be read. */
const DEFAULT_MAX_DELIVERY_COUNT = 10;
/** The longest lock the lock-expiry clause waits out; Service Bus allows 5 s to 5 min. */
const LONGEST_CHECKABLE_LOCK_MS = 30_000;
/** host.json: extensions.serviceBus.maxAutoLockRenewalDuration. */
const HOST_LOCK_RENEWAL_MS = 30 * 60_000;
/**
 * A receiver leaves a session that stays empty this long (the host waits sessionIdleTimeout, 30 s; shorter here so
 * clauses end quickly and a competing receiver gets its turn).
 */
const SESSION_IDLE_MS = 1_000;
/** Pause before a receiver asks again for a session another receiver holds. */
const ACCEPT_RETRY_MS = 250;
/** No delivery for this long (and none running) counts as settled: a stray duplicate or redelivery shows up sooner. */
const QUIET_MS = 2_000;
/** Receivers competing for each session, as several host instances do; the broker must let only one in at a time. */
const RECEIVERS_PER_SESSION = 2;
/** What competing receivers see when the broker keeps them apart or a lock runs out: expected, not failures. */
const COMPETITION_CODES = new Set(['SessionCannotBeLocked', 'SessionLockLost', 'ServiceTimeout']);

export const SERVICE_BUS_TIMING: Omit<JobQueueTiming, 'lockDurationMs'> = {
  handlerWorkMs: 1_500,
  scheduleAheadMs: 8_000,
  clockSkewMs: 2_000,
  // An abandoned message is at the head of its session again at once.
  retryDelayMs: 0,
  patienceMs: 30_000,
};

/** Reads the test queue's properties (needs Manage rights) and refuses a queue unlike production's. */
export async function readServiceBusQueueFacts(
  namespace: string,
  queueName: string,
  credential: TokenCredential,
): Promise<ServiceBusQueueFacts> {
  let properties;
  try {
    properties = await new ServiceBusAdministrationClient(namespace, credential).getQueue(queueName);
  } catch (err) {
    return {
      maxDeliveryCount: DEFAULT_MAX_DELIVERY_COUNT,
      duplicateDetectionWindowMs: undefined,
      lockDurationMs: undefined,
      unreadable: `the properties of queue "${queueName}" could not be read (reading them needs the Azure Service Bus Data Owner role): ${ensureError(err).message}`,
    };
  }
  if (!properties.requiresSession || !properties.requiresDuplicateDetection) {
    throw new Error(
      `queue "${queueName}" must be session-enabled with duplicate detection, like production (requiresSession ${properties.requiresSession}, requiresDuplicateDetection ${properties.requiresDuplicateDetection})`,
    );
  }
  return {
    maxDeliveryCount: properties.maxDeliveryCount,
    duplicateDetectionWindowMs: isoDurationMs(properties.duplicateDetectionHistoryTimeWindow),
    lockDurationMs: isoDurationMs(properties.lockDuration),
  };
}

/** The clauses the test queue's properties rule out, with why. */
function uncheckableOn(queueName: string, facts: ServiceBusQueueFacts): Partial<Record<JobQueueClause, string>> {
  if (facts.unreadable) return { productionSettings: facts.unreadable, lockExpiryRedelivers: facts.unreadable };
  if (facts.lockDurationMs !== undefined && facts.lockDurationMs > LONGEST_CHECKABLE_LOCK_MS) {
    return {
      lockExpiryRedelivers: `the lock duration of queue "${queueName}" is ${facts.lockDurationMs / 1000} s; set lockDuration to 5-${LONGEST_CHECKABLE_LOCK_MS / 1000} s to check it quickly`,
    };
  }
  return {};
}

/** `PT30S`, `PT10M`, `P1DT2H`… in milliseconds. */
function isoDurationMs(duration: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!match) throw new Error(`not an ISO 8601 duration: ${duration}`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000;
}

/**
 * Consumes the test queue the way the Functions host's session trigger does: a receiver locks a session, receives
 * its messages one at a time in order, completes each on success and abandons it when the handler throws (the
 * broker redelivers it, then dead-letters it after the queue's max delivery count). Receivers lock by session id,
 * only the sessions this harness sent to, so leftovers of earlier or parallel runs in a shared test queue are never
 * touched; two receivers compete for each session, so keeping them apart is the broker's doing.
 */
export class ServiceBusSessionHarness implements JobQueueHarness {
  readonly settings: JobQueueHarness['settings'];
  readonly timing: JobQueueTiming;
  readonly uncheckable: Partial<Record<JobQueueClause, string>>;
  private readonly client: ServiceBusClient;
  private readonly sessions = new Set<string>();
  private readonly receivers: Promise<void>[] = [];
  /** The highest delivery count handed to the handler, by message id: a dead letter's count of deliveries. */
  private readonly deliveryCounts = new Map<string, number>();
  private readonly consumerErrors: Error[] = [];
  private handler: JobHandler | undefined;
  private renewLock = true;
  private stopping = false;
  private running = 0;
  private lastActivityAt = Date.now();

  constructor(
    private readonly queue: JobQueue,
    namespace: string,
    private readonly queueName: string,
    credential: TokenCredential,
    facts: ServiceBusQueueFacts,
  ) {
    this.client = new ServiceBusClient(namespace, credential);
    this.settings = { maxDeliveryCount: facts.maxDeliveryCount, duplicateDetectionWindowMs: facts.duplicateDetectionWindowMs };
    this.timing = { ...SERVICE_BUS_TIMING, lockDurationMs: facts.lockDurationMs };
    this.uncheckable = uncheckableOn(queueName, facts);
  }

  async enqueue(job: SyncJob, options?: EnqueueOptions): Promise<void> {
    await this.queue.enqueue(job, options);
    const session = sessionOf(job);
    if (this.sessions.has(session)) return;
    this.sessions.add(session);
    if (this.handler) this.consumeSession(session);
  }

  start(handler: JobHandler, options: ConsumeOptions = {}): void {
    this.handler = handler;
    this.renewLock = options.renewLock ?? true;
    for (const session of this.sessions) this.consumeSession(session);
  }

  async settle(): Promise<void> {
    for (;;) {
      if (this.consumerErrors.length > 0) throw this.consumerErrors[0]!;
      const quietForMs = Date.now() - this.lastActivityAt;
      if (this.running === 0 && quietForMs >= QUIET_MS) return;
      await sleep(Math.max(50, QUIET_MS - quietForMs));
    }
  }

  async deadLetters(): Promise<DeadLetter[]> {
    return (await this.ownDeadLetterMessages()).map((message) => ({
      job: message.body as SyncJob,
      reason: message.deadLetterReason ?? '',
      deliveryCount: this.deliveryCounts.get(String(message.messageId)) ?? 0,
    }));
  }

  /** Service Bus dead-letters on its own after the last abandon; the handler's error is not passed on. */
  deadLetterReason(): string {
    return 'MaxDeliveryCountExceeded';
  }

  async dispose(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.receivers);
    try {
      await this.drainSessions();
      await this.removeOwnDeadLetters();
    } finally {
      await Promise.all([this.client.close(), this.queue.close()]);
    }
  }

  private consumeSession(session: string): void {
    for (let n = 0; n < RECEIVERS_PER_SESSION; n += 1) this.receivers.push(this.receiveSession(session));
  }

  /** One competing receiver: locks the session when it can, serves it until it stays empty, and tries again. */
  private async receiveSession(session: string): Promise<void> {
    while (!this.stopping) {
      let receiver: ServiceBusSessionReceiver;
      try {
        receiver = await this.client.acceptSession(this.queueName, session, {
          maxAutoLockRenewalDurationInMs: this.renewLock ? HOST_LOCK_RENEWAL_MS : 0,
        });
      } catch (err) {
        this.noteConsumerError(err);
        await sleep(ACCEPT_RETRY_MS);
        continue;
      }
      try {
        await this.serve(receiver);
      } catch (err) {
        this.noteConsumerError(err);
      } finally {
        await receiver.close().catch(() => undefined);
      }
    }
  }

  private async serve(receiver: ServiceBusSessionReceiver): Promise<void> {
    while (!this.stopping) {
      const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: SESSION_IDLE_MS });
      if (!message) return;
      await this.deliver(receiver, message);
    }
  }

  private async deliver(receiver: ServiceBusSessionReceiver, message: ServiceBusReceivedMessage): Promise<void> {
    // AMQP counts earlier deliveries; the host (and our JobHandler) count this one too.
    const deliveryCount = (message.deliveryCount ?? 0) + 1;
    const messageId = String(message.messageId);
    this.deliveryCounts.set(messageId, Math.max(deliveryCount, this.deliveryCounts.get(messageId) ?? 0));
    this.running += 1;
    this.lastActivityAt = Date.now();
    try {
      let succeeded = true;
      try {
        await this.handler!(message.body as SyncJob, { deliveryCount, messageId });
      } catch {
        succeeded = false;
      }
      // A lock lost meanwhile (the lock-expiry clause) makes settling fail; the broker redelivers regardless.
      await (succeeded ? receiver.completeMessage(message) : receiver.abandonMessage(message)).catch((err: unknown) =>
        this.noteConsumerError(err),
      );
    } finally {
      this.running -= 1;
      this.lastActivityAt = Date.now();
    }
  }

  private noteConsumerError(err: unknown): void {
    if (isServiceBusError(err) && COMPETITION_CODES.has(err.code)) return;
    this.consumerErrors.push(ensureError(err));
  }

  /** Peeks the dead-letter sub-queue (a fresh receiver peeks from its start) for messages of this harness's sessions. */
  private async ownDeadLetterMessages(): Promise<ServiceBusReceivedMessage[]> {
    const receiver = this.client.createReceiver(this.queueName, { subQueueType: 'deadLetter' });
    try {
      const own: ServiceBusReceivedMessage[] = [];
      for (;;) {
        const batch = await receiver.peekMessages(100);
        if (batch.length === 0) return own;
        own.push(...batch.filter((message) => message.sessionId !== undefined && this.sessions.has(message.sessionId)));
      }
    } finally {
      await receiver.close();
    }
  }

  /**
   * Deletes what a clause left in its sessions (e.g. after a failure). A message scheduled further ahead cannot be
   * received yet; its ids are unique to this run, so it cannot meet a later one.
   */
  private async drainSessions(): Promise<void> {
    for (const session of this.sessions) {
      try {
        const receiver = await this.client.acceptSession(this.queueName, session, { receiveMode: 'receiveAndDelete' });
        try {
          while ((await receiver.receiveMessages(100, { maxWaitTimeInMs: 500 })).length > 0);
        } finally {
          await receiver.close();
        }
      } catch (err) {
        // Still locked by a receiver whose lock has yet to run out: left for the lock to expire, harmlessly.
        if (!isServiceBusError(err) || !COMPETITION_CODES.has(err.code)) throw err;
      }
    }
  }

  /** Completes this harness's dead letters; others' are locked while passing by and abandoned untouched after. */
  private async removeOwnDeadLetters(): Promise<void> {
    let remaining = (await this.ownDeadLetterMessages()).length;
    if (remaining === 0) return;
    const receiver = this.client.createReceiver(this.queueName, { subQueueType: 'deadLetter' });
    const others: ServiceBusReceivedMessage[] = [];
    try {
      while (remaining > 0) {
        const batch = await receiver.receiveMessages(100, { maxWaitTimeInMs: 2_000 });
        if (batch.length === 0) break;
        for (const message of batch) {
          if (message.sessionId !== undefined && this.sessions.has(message.sessionId)) {
            await receiver.completeMessage(message);
            remaining -= 1;
          } else others.push(message);
        }
      }
      await Promise.all(others.map((message) => receiver.abandonMessage(message)));
    } finally {
      await receiver.close();
    }
  }
}
