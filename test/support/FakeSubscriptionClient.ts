import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/core/errors/AppError';
import { type GraphSubscription, type NewSubscription, type SubscriptionClient } from '../../shared/graph/SubscriptionClient';

/** A Graph stand-in that records calls and fails on demand; the sandbox Graph covers the wire format. */
export class FakeSubscriptionClient implements SubscriptionClient {
  readonly live = new Map<string, GraphSubscription & { clientState: string }>();
  readonly calls: string[] = [];
  failures: { on: 'create' | 'renew' | 'delete' | 'list'; error: AppError }[] = [];
  maxLifetimeMinutes = Infinity;

  constructor(private readonly now: () => Date) {}

  private fail(on: 'create' | 'renew' | 'delete' | 'list'): void {
    const at = this.failures.findIndex((f) => f.on === on);
    if (at >= 0) throw this.failures.splice(at, 1)[0]!.error;
  }

  private checkLifetime(expirationDateTime: string): void {
    if (Date.parse(expirationDateTime) - this.now().getTime() > this.maxLifetimeMinutes * 60_000) {
      throw new AppError(
        'INVALID',
        'renewing: Graph refused the request (400): Subscription expiration can only be 4230 minutes in the future.',
        { upstreamStatus: 400 },
      );
    }
  }

  async create(s: NewSubscription): Promise<GraphSubscription> {
    this.calls.push(`create ${s.resource}`);
    this.fail('create');
    this.checkLifetime(s.expirationDateTime);
    const created = {
      id: randomUUID(),
      resource: s.resource,
      notificationUrl: s.notificationUrl,
      expirationDateTime: s.expirationDateTime,
      clientState: s.clientState,
    };
    this.live.set(created.id, created);
    return created;
  }

  async renew(id: string, expirationDateTime: string): Promise<GraphSubscription> {
    this.calls.push(`renew ${id}`);
    this.fail('renew');
    const s = this.live.get(id);
    if (!s) throw new AppError('NOT_FOUND', `renewing subscription ${id}: not found`, { upstreamStatus: 404 });
    this.checkLifetime(expirationDateTime);
    s.expirationDateTime = expirationDateTime;
    return s;
  }

  async reauthorize(id: string): Promise<void> {
    this.calls.push(`reauthorize ${id}`);
  }

  async delete(id: string): Promise<void> {
    this.calls.push(`delete ${id}`);
    this.fail('delete');
    this.live.delete(id);
  }

  async list(): Promise<GraphSubscription[]> {
    this.fail('list');
    return [...this.live.values()];
  }
}
