import { digestAuthorization } from './digestAuthorization';
import { type EventTarget } from './eventTargetBodies';
import { type ExtensionEventMessage } from './extensionEventMessages';
import { seededRandom } from '../graph/seededRandom';

export interface ExtensionEventSenderOptions {
  /**
   * The waits before each retry of an event the receiver did not take (non-2xx other than 404, or no answer).
   * PortSIP's own schedule is ~15 s, 1 min, 3 min, 8 min, 15 min (reference/portsip.md §6); the default keeps
   * its growing shape scaled down for tests: [200, 1000, 3000].
   */
  retryDelaysMs?: readonly number[];
  /** How long one POST may take before it counts as unanswered; default 5000. */
  timeoutMs?: number;
}

/** Switches that misbehave the way an at-least-once, unordered webhook may; counts, so tests repeat exactly. */
export interface ExtensionEventFaults {
  /** The next `drop` events are never sent (they show in the log as 'dropped'). */
  drop?: number;
  /** Each event is also dropped with this chance (0–1), from a seeded generator; 0 turns it off. */
  dropProbability?: number;
  /** The seed of dropProbability's generator (default 1); setting it restarts the sequence. */
  seed?: number;
  /** The next `duplicate` events are each sent twice (two deliveries, each retried on its own). */
  duplicate?: number;
  /** The next `reorder` events are each held back and sent once the event after them got its first answer. */
  reorder?: number;
  /** Added before every event's first attempt, until set back to 0. */
  delayMs?: number;
}

/** The switches as they stand: what is left of each count. */
export type ExtensionEventFaultState = Required<Omit<ExtensionEventFaults, 'seed'>>;

export interface ExtensionEventAttempt {
  /** When the POST went out (epoch ms). */
  at: number;
  /** The receiver's HTTP status; null when it did not answer (refused, reset, timed out). */
  status: number | null;
  error: string | null;
}

/**
 * held: waiting for the next event (reorder); pending: being sent or waiting to be retried; delivered: 2xx;
 * rejected: 404, which stops the retries; failed: every retry used up; dropped: the drop fault ate it;
 * cancelled: the sandbox stopped first.
 */
export type ExtensionEventState = 'held' | 'pending' | 'delivered' | 'rejected' | 'failed' | 'dropped' | 'cancelled';

/** One delivery of an event (a duplicated event has two, with the same eventId). */
export interface ExtensionEventDelivery {
  id: number;
  eventId: number;
  /** 1, or 2 for the duplicate's second copy. */
  copy: number;
  url: string;
  body: ExtensionEventMessage;
  state: ExtensionEventState;
  /** When the sandbox raised the event (epoch ms). */
  queuedAt: number;
  /** When its first attempt went out (epoch ms); null while it has not. */
  sentAt: number | null;
  /** The last status the receiver answered; null when none yet. */
  status: number | null;
  attempts: ExtensionEventAttempt[];
}

interface Job {
  delivery: ExtensionEventDelivery;
  target: EventTarget;
  text: string;
  delayMs: number;
}

const DEFAULT_RETRY_DELAYS_MS = [200, 1000, 3000];
// A sandbox left running (npm start) must not grow without end; the oldest entries go first.
const MAX_LOG_ENTRIES = 10_000;

const isSuccess = (status: number | null) => status !== null && status >= 200 && status < 300;

/**
 * Posts PortSIP extension events to the tenant's registered URL the way the PBX does: JSON in UTF-8 with the
 * configured authentication, at least once, in no promised order, retried on a non-2xx answer, never after a
 * 404. Every delivery runs on its own, so raising an event never waits for the receiver.
 */
export class ExtensionEventSender {
  private readonly retryDelaysMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly log: ExtensionEventDelivery[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly inFlight = new Set<AbortController>();
  private held: Job[] = [];
  private faults: ExtensionEventFaultState = { drop: 0, dropProbability: 0, duplicate: 0, reorder: 0, delayMs: 0 };
  private random = seededRandom(1);
  private lastEventId = 0;
  private lastDeliveryId = 0;
  private stopped = false;

  constructor(options: ExtensionEventSenderOptions = {}) {
    this.retryDelaysMs = [...(options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS)];
    this.timeoutMs = options.timeoutMs ?? 5000;
    if (this.retryDelaysMs.some((ms) => !Number.isFinite(ms) || ms < 0)) throw new Error('retryDelaysMs must be finite and ≥ 0');
  }

  /** Sets the given switches (others stay as they are) and answers how they all stand. */
  setFaults(faults: ExtensionEventFaults): ExtensionEventFaultState {
    const { seed, ...rest } = faults;
    for (const [name, value] of Object.entries(rest))
      if (value !== undefined && (!Number.isFinite(value) || value < 0)) throw new Error(`${name} must be a finite number ≥ 0`);
    if (rest.dropProbability !== undefined && rest.dropProbability > 1) throw new Error('dropProbability must be at most 1');
    for (const [name, value] of Object.entries(rest)) if (value !== undefined) this.faults[name as keyof ExtensionEventFaultState] = value;
    if (seed !== undefined) this.random = seededRandom(seed);
    return this.faultState();
  }

  faultState(): ExtensionEventFaultState {
    return { ...this.faults };
  }

  /** Every delivery so far (copies), in the order the events were raised. */
  deliveries(): ExtensionEventDelivery[] {
    return this.log.map((delivery) => structuredClone(delivery));
  }

  /** Deliveries still held or being sent. */
  pendingCount(): number {
    return this.log.filter((delivery) => delivery.state === 'held' || delivery.state === 'pending').length;
  }

  /** Raises one event for `target` (its settings as they are now); returns at once, delivery runs on its own. */
  send(target: EventTarget, message: ExtensionEventMessage): void {
    if (!target.enabled || !target.url) return;
    const eventId = ++this.lastEventId;
    const text = JSON.stringify(message);
    const dropped = this.takeDrop();
    const copies = !dropped && this.faults.duplicate > 0 ? 2 : 1;
    if (copies === 2) this.faults.duplicate -= 1;
    const jobs: Job[] = [];
    for (let copy = 1; copy <= copies; copy += 1) {
      const delivery: ExtensionEventDelivery = {
        id: ++this.lastDeliveryId,
        eventId,
        copy,
        url: target.url,
        body: structuredClone(message),
        state: this.stopped ? 'cancelled' : dropped ? 'dropped' : 'pending',
        queuedAt: Date.now(),
        sentAt: null,
        status: null,
        attempts: [],
      };
      this.record(delivery);
      jobs.push({ delivery, target: { ...target }, text, delayMs: this.faults.delayMs });
    }
    if (dropped || this.stopped) return;
    if (this.held.length === 0 && this.faults.reorder > 0) {
      this.faults.reorder -= 1;
      for (const job of jobs) job.delivery.state = 'held';
      this.held = jobs;
      return;
    }
    const released = this.held;
    this.held = [];
    const firstAnswers = jobs.map((job) => this.start(job));
    if (released.length === 0) return;
    // Tracked like a delivery, so settled() waits for the held event too while its partner is answered.
    const release = Promise.all(firstAnswers)
      .then(() => {
        for (const job of released) void this.start(job);
      })
      .finally(() => this.running.delete(release));
    this.running.add(release);
  }

  /**
   * Resolves once nothing is held or being sent. An event held for reordering with no event after it is sent
   * now (last), so a test never waits forever for a partner that is not coming.
   */
  async settled(): Promise<void> {
    for (;;) {
      if (this.held.length > 0 && !this.stopped) {
        const released = this.held;
        this.held = [];
        for (const job of released) void this.start(job);
      }
      if (this.running.size === 0) return;
      await Promise.allSettled([...this.running]);
    }
  }

  /** Cancels every wait and request in progress; later events are only logged, as cancelled. */
  stop(): void {
    this.stopped = true;
    for (const job of this.held) job.delivery.state = 'cancelled';
    this.held = [];
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort(new Error('the sandbox stopped'));
  }

  private takeDrop(): boolean {
    if (this.faults.drop > 0) {
      this.faults.drop -= 1;
      return true;
    }
    return this.faults.dropProbability > 0 && this.random() < this.faults.dropProbability;
  }

  private record(delivery: ExtensionEventDelivery): void {
    if (this.log.length >= MAX_LOG_ENTRIES) this.log.shift();
    this.log.push(delivery);
  }

  /** Starts one delivery; the promise resolves once its first attempt was answered (or given up). */
  private start(job: Job): Promise<void> {
    job.delivery.state = 'pending';
    let firstAnswered!: () => void;
    const firstAnswer = new Promise<void>((resolve) => (firstAnswered = resolve));
    const run = this.deliver(job, firstAnswered)
      .catch((err: unknown) => {
        job.delivery.state = 'failed';
        job.delivery.attempts.push({ at: Date.now(), status: null, error: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => {
        firstAnswered();
        this.running.delete(run);
      });
    this.running.add(run);
    return firstAnswer;
  }

  private async deliver(job: Job, firstAnswered: () => void): Promise<void> {
    const { delivery } = job;
    await this.sleep(job.delayMs);
    for (let attempt = 0; ; attempt += 1) {
      if (this.stopped) {
        delivery.state = 'cancelled';
        return;
      }
      const at = Date.now();
      const answer = await this.post(job);
      delivery.attempts.push({ at, ...answer });
      delivery.sentAt ??= at;
      if (answer.status !== null) delivery.status = answer.status;
      if (attempt === 0) firstAnswered();
      if (isSuccess(answer.status)) {
        delivery.state = 'delivered';
        return;
      }
      if (answer.status === 404) {
        delivery.state = 'rejected';
        return;
      }
      const wait = this.retryDelaysMs[attempt];
      if (this.stopped) {
        delivery.state = 'cancelled';
        return;
      }
      if (wait === undefined) {
        delivery.state = 'failed';
        return;
      }
      await this.sleep(wait);
    }
  }

  /** One POST (plus the answer to a Digest challenge, which counts as the same attempt). */
  private async post(job: Job): Promise<{ status: number | null; error: string | null }> {
    const { target } = job;
    const url = target.url!;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (target.auth === 'BEARER' && target.token) headers.authorization = `Bearer ${target.token}`;
    if (target.auth === 'BASIC' && target.username !== null && target.password !== null)
      headers.authorization = `Basic ${Buffer.from(`${target.username}:${target.password}`, 'utf8').toString('base64')}`;
    try {
      let res = await this.fetchOnce(url, headers, job.text);
      if (res.status === 401 && target.auth === 'DIGEST' && target.username !== null && target.password !== null) {
        const authorization = digestAuthorization(res.headers.get('www-authenticate'), {
          method: 'POST',
          url,
          username: target.username,
          password: target.password,
        });
        if (authorization) res = await this.fetchOnce(url, { ...headers, authorization }, job.text);
      }
      return { status: res.status, error: null };
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      return { status: null, error: `${err instanceof Error ? err.message : String(err)}${cause}` };
    }
  }

  private async fetchOnce(url: string, headers: Record<string, string>, body: string): Promise<Response> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([controller.signal, AbortSignal.timeout(this.timeoutMs)]),
      });
      // Read to the end so the connection can be reused; the receiver's words do not matter, only its status.
      await res.arrayBuffer();
      return res;
    } finally {
      this.inFlight.delete(controller);
    }
  }

  /** A wait that stop() can cut short. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }
}
