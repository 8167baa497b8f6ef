import { beforeEach, describe, expect, it } from 'vitest';
import { type InProcessJobQueue } from '../../../shared/platform/queue/InProcessJobQueue';
import { type Services } from '../../../shared/app/Services';
import { type SyncJob } from '../../../shared/app/jobs/SyncJob';
import { type EnqueueOptions } from '../../../shared/platform/queue/JobQueue';
import { type TenantRecord } from '../../../shared/app/TenantStore';
import { TenantSubscriptions } from '../../../shared/subscriptions/TenantSubscriptions';
import { UNKNOWN_TTL_MS } from '../../../shared/notifications/UnknownSubscriptionCache';
import { createTestServices } from '../../support/testServices';
import { FakeSubscriptionClient } from '../../support/FakeSubscriptionClient';
import { contosoTenantConfig } from '../../support/contosoTenantConfig';
import { Logger } from '../../../shared/core/logging/Logger';

/**
 * The negative cache of the webhook against subscription upkeep: a create never leaves the new id answered
 * as unknown without a catch-up that covers it.
 */
const DIRECTORY = '11111111-1111-4111-8111-111111111111';
let services: Services & { queue: InProcessJobQueue };
let client: FakeSubscriptionClient;
let now: Date;
let tenant: TenantRecord;
let sent: { job: SyncJob; options: EnqueueOptions }[];

beforeEach(async () => {
  services = await createTestServices({}, { publicBaseUrl: 'https://fn.example', lifetimeMinutes: 41_700 });
  now = new Date('2026-11-23T12:00:00.000Z');
  client = new FakeSubscriptionClient(() => now);
  tenant = await services.tenants.create('contoso', contosoTenantConfig(DIRECTORY));
  sent = [];
  const enqueue = services.queue.enqueue.bind(services.queue);
  services.queue.enqueue = async (job, options = {}) => {
    sent.push({ job, options });
    await enqueue(job, options);
  };
});

const upkeep = () => new TenantSubscriptions(services, tenant, client, Logger.silent(), () => now);
const lateCatchUps = () => sent.filter((s) => s.options.messageId?.startsWith('catchup:'));

describe('subscription upkeep and the webhook negative cache', () => {
  it('a create that saves its record at once queues no second catch-up', async () => {
    const changes = await upkeep().maintain();
    expect(changes.created).toHaveLength(1);
    expect(lateCatchUps()).toEqual([]);
  });

  it('a create that took 6 s queues a second catch-up delta for after the negative-cache TTL', async () => {
    const create = client.create.bind(client);
    client.create = async (request) => {
      const created = await create(request);
      now = new Date(now.getTime() + 6_000); // Graph (or our save) was slow
      return created;
    };
    const changes = await upkeep().maintain();
    const [id] = changes.created;
    const savedAt = now.getTime();
    expect(lateCatchUps()).toEqual([
      {
        job: expect.objectContaining({ kind: 'sync', tenantId: 'contoso', feature: 'users', mode: 'delta', trigger: 'lifecycle' }),
        options: { messageId: `catchup:contoso:users:${id}`, scheduledEnqueueTime: new Date(savedAt + UNKNOWN_TTL_MS + 1000) },
      },
    ]);
  });

  it('a notification that raced the create (dropped as unknown) does not keep the next one from being accepted', async () => {
    const create = client.create.bind(client);
    let raced: Awaited<ReturnType<typeof services.webhook.accept>> | undefined;
    let clientState = '';
    client.create = async (request) => {
      const created = await create(request);
      clientState = request.clientState;
      // Graph notifies before our create has saved the record.
      raced = await services.webhook.accept([{ subscriptionId: created.id, clientState, tenantId: DIRECTORY, changeType: 'updated' }]);
      return created;
    };
    const changes = await upkeep().maintain();
    expect(raced).toMatchObject({ accepted: 0, dropped: { unknownSubscription: 1 } });
    const after = await services.webhook.accept([
      { subscriptionId: changes.created[0]!, clientState, tenantId: DIRECTORY, changeType: 'updated' },
    ]);
    expect(after).toMatchObject({ accepted: 1, dropped: {} });
  });
});
