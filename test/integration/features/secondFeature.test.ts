import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { Logger } from '../../../shared/core/logging/Logger';
import { enqueueDueReconciles } from '../../../shared/app/enqueueDueReconciles';
import { processJob } from '../../../shared/app/processJob';
import { requestSync } from '../../../shared/app/requestSync';
import { sessionOf, type SyncJob } from '../../../shared/app/jobs/SyncJob';
import { emptyCounts } from '../../../shared/engine/RunStore';
import { type Feature, type FeatureContext } from '../../../shared/features/Feature';
import { FeatureRegistry } from '../../../shared/features/FeatureRegistry';
import { usersFeature } from '../../../shared/features/users/usersFeature';
import { TenantSubscriptions } from '../../../shared/subscriptions/TenantSubscriptions';
import { FakeSubscriptionClient } from '../../support/FakeSubscriptionClient';
import { createTestServices } from '../../support/testServices';
import { writeSandboxTenantSecrets } from '../../../shared/platform/local/sandboxTenantConfig';

/**
 * A second, minimal feature registered from outside: nothing in the router, scheduler, subscription upkeep
 * or webhook intake names it, yet each of them picks it up from the registry.
 */
function echoFeature() {
  const runs: { tenantId: string; mode: string; dryRun: boolean }[] = [];
  const timers: { subject: string; key: string; at: string; tenantId: string }[] = [];
  const feature: Feature<{ loud: boolean }> = {
    manifest: { name: 'echo', lane: 'realtime', options: z.object({ loud: z.boolean().default(true) }) },
    optionsFor: () => ({ loud: true }),
    reconcileOnSchedule: true,
    subscriptions: () => [{ graphResource: 'communications/echoes', changeType: 'updated', maxLifetimeMinutes: 4230 }],
    async onTimer(context, timer) {
      timers.push({ subject: timer.subject, key: timer.key, at: timer.at.toISOString(), tenantId: context.tenantId });
    },
    async sync(context: FeatureContext<{ loud: boolean }>, request) {
      runs.push({ tenantId: context.tenantId, mode: request.mode, dryRun: request.dryRun });
      // A run plans a moment to be woken at (as the calendar does for a meeting's start).
      await context.timers?.schedule([
        { subject: 'user-1', key: 'plan-1', at: new Date((Math.floor(Date.now() / 3_600_000) + 2) * 3_600_000) },
      ]);
      return {
        mode: request.mode,
        counts: { ...emptyCounts(), updated: 1 },
        issues: [],
        skippedByReason: {},
        outOfScopeByReason: {},
        itemsRead: 1,
        notes: [],
        pages: 1,
        graphRequests: 0,
        pbxRequests: 0,
      };
    },
  };
  return { feature, runs, timers };
}

const DIRECTORY = '11111111-1111-4111-8111-111111111111';
const config = TenantConfigSchema.parse({
  displayName: 'Contoso',
  microsoft365: {
    directoryId: DIRECTORY,
    applicationId: '22222222-2222-4222-8222-222222222222',
    auth: { kind: 'sandbox', graphBaseUrl: 'http://127.0.0.1:9' },
  },
  pbx: { kind: 'portsip', baseUrl: 'http://127.0.0.1:9', domain: 'contoso.example' },
});

async function setup() {
  const echo = echoFeature();
  const features = new FeatureRegistry([usersFeature, echo.feature]);
  const services = await createTestServices({}, { publicBaseUrl: 'https://fn.example', features, debounceMs: 200 });
  await writeSandboxTenantSecrets(
    services.secrets,
    'contoso',
    { graphBaseUrl: 'http://127.0.0.1:9', graphToken: 't', pbxBaseUrl: 'http://127.0.0.1:9', pbxDomain: 'contoso.example' },
    { username: 'admin', password: 'not-used-here' },
  );
  const tenant = await services.tenants.create('contoso', config);
  return { echo, services, tenant };
}

describe('a second feature plugs into the engine through the registry alone', () => {
  it('the router runs its jobs in its own lane and records its runs', async () => {
    const { echo, services } = await setup();
    const { runId, job } = await requestSync(services, { tenantId: 'contoso', feature: 'echo', mode: 'delta', trigger: 'manual' });
    expect(job).toMatchObject({ kind: 'sync', feature: 'echo', lane: 'realtime' });
    expect(sessionOf(job)).toBe('contoso/realtime');
    await processJob(services, job, Logger.silent());
    expect(echo.runs).toEqual([{ tenantId: 'contoso', mode: 'delta', dryRun: false }]);
    expect(await services.runs.get('contoso', runId)).toMatchObject({ feature: 'echo', status: 'succeeded', itemsRead: 1 });
  });

  it('its timers are scheduled messages in its lane, handed to its onTimer when due; queued twice, sent once', async () => {
    const { echo, services } = await setup();
    const sent: { job: SyncJob; at: Date | undefined; id: string | undefined }[] = [];
    services.queue.enqueue = async (job, options) => void sent.push({ job, at: options?.scheduledEnqueueTime, id: options?.messageId });
    const { job } = await requestSync(services, { tenantId: 'contoso', feature: 'echo', mode: 'delta', trigger: 'manual' });
    await processJob(services, job, Logger.silent());
    await processJob(services, job, Logger.silent());
    const timerJobs = sent.filter((s) => s.job.kind === 'timer');
    expect(timerJobs).toHaveLength(2);
    expect(timerJobs[0]!.id).toBe(timerJobs[1]!.id); // the same moment planned again: one message id
    const timer = timerJobs[0]!;
    expect(timer.job).toMatchObject({ kind: 'timer', feature: 'echo', lane: 'realtime', subject: 'user-1', key: 'plan-1' });
    expect(timer.at?.getTime()).toBe(Date.parse((timer.job as { at: string }).at));
    expect(sessionOf(timer.job)).toBe('contoso/realtime');

    await processJob(services, timer.job, Logger.silent());
    expect(echo.timers).toEqual([{ subject: 'user-1', key: 'plan-1', at: (timer.job as { at: string }).at, tenantId: 'contoso' }]);

    // A disabled tenant's timer is dropped, not run.
    const tenant = (await services.tenants.get('contoso'))!;
    await services.tenants.replace('contoso', { ...tenant.config, enabled: false }, tenant.etag);
    await processJob(services, timer.job, Logger.silent());
    expect(echo.timers).toHaveLength(1);
  });

  it('the scheduler queues its reconcile beside the users reconcile, each in its lane', async () => {
    const { services, tenant } = await setup();
    const sent: SyncJob[] = [];
    const enqueue = services.queue.enqueue.bind(services.queue);
    services.queue.enqueue = async (job, options) => {
      sent.push(job);
      await enqueue(job, options);
    };
    const slot = new Date(Date.parse(tenant.createdAt) + 2 * 86_400_000);
    expect(await enqueueDueReconciles(services, slot, Logger.silent())).toEqual(['contoso']);
    expect(sent.map((j) => (j.kind === 'sync' ? [j.feature, j.lane, j.mode, j.trigger] : j.kind)).sort()).toEqual([
      ['echo', 'realtime', 'full', 'scheduled'],
      ['users', 'directory', 'full', 'scheduled'],
    ]);
  });

  it('subscription upkeep subscribes for it, and the webhook turns its notifications into its delta jobs', async () => {
    const { services, tenant } = await setup();
    const sent: SyncJob[] = [];
    services.queue.enqueue = async (job) => void sent.push(job);
    const now = new Date();
    const client = new FakeSubscriptionClient(() => now);
    await new TenantSubscriptions(services, tenant, client, Logger.silent(), () => now).maintain();
    // Each new subscription asks for its feature's catch-up delta.
    expect(sent.map((j) => (j.kind === 'sync' ? [j.feature, j.lane, j.trigger] : j.kind)).sort()).toEqual([
      ['echo', 'realtime', 'lifecycle'],
      ['users', 'directory', 'lifecycle'],
    ]);
    expect(client.calls.sort()).toEqual(['create communications/echoes', 'create users']);
    const echoRecord = (await services.subscriptions.listForTenant('contoso')).find((r) => r.resource === 'echo')!;
    expect(echoRecord).toMatchObject({ graphResource: 'communications/echoes' });

    // The catch-ups start (the worker ends their pending state), so the notification's own job is sent.
    for (const job of sent) if (job.kind === 'sync') await services.deltaRequests.jobStarting(job);
    sent.length = 0;
    const clientState = await services.secrets.getSecret(echoRecord.clientStateSecretName);
    const result = await services.webhook.accept([
      {
        subscriptionId: echoRecord.subscriptionId,
        clientState,
        changeType: 'updated',
        resource: 'communications/echoes/1',
        tenantId: DIRECTORY,
        subscriptionExpirationDateTime: echoRecord.expiresAt,
      },
    ]);
    expect(result).toMatchObject({ accepted: 1, jobsEnqueued: 1 });
    expect(sent).toEqual([
      expect.objectContaining({ kind: 'sync', feature: 'echo', lane: 'realtime', mode: 'delta', trigger: 'notification' }),
    ]);
  });
});
