import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { generateUsers } from '../../../sandbox/graph';
import { type NotificationRig, startNotificationRig } from '../../../sandbox/notificationRig';
import { testStorageConnectionString, uniqueTablePrefix } from '../../support/storage';
import { type SpanRecording, recordSpans } from '../../unit/platform/telemetry/recordSpans';

let recording: SpanRecording;
let rig: NotificationRig;

beforeAll(async () => {
  recording = recordSpans();
  rig = await startNotificationRig({
    storageConnectionString: testStorageConnectionString(),
    tablePrefix: uniqueTablePrefix(),
    users: generateUsers(20, { seed: 7 }),
    debounceMs: 50,
  });
});
afterAll(async () => {
  await rig?.stop();
  await recording?.stop();
});

const inTrace = (traceId: string) => recording.spans().filter((span) => span.spanContext().traceId === traceId);
const parentOf = (span: ReadableSpan) => recording.spans().find((other) => other.spanContext().spanId === span.parentSpanId);

describe('one sync followed as one trace (webhook → queue → worker → PBX), over the sandbox rig', () => {
  let syncRun: ReadableSpan;

  beforeAll(async () => {
    const target = rig.graph.listUsers().find((user) => rig.pbx.listUsers().some((p) => p.ms365_binding === user.id))!;
    rig.graph.updateUser(target.id, { department: 'Traced Dept' });
    await vi.waitFor(
      () => {
        const run = recording.named('sync run').find((span) => span.attributes['sync.trigger'] === 'notification');
        expect(run).toBeDefined();
        syncRun = run!;
      },
      { timeout: 10_000, interval: 25 },
    );
  });

  it("the notification's sync run continues the webhook's trace, through the enqueue span", () => {
    const enqueue = parentOf(syncRun);
    expect(enqueue?.name).toBe('enqueue');
    const webhook = parentOf(enqueue!);
    expect(webhook?.name).toBe('webhook notifications');
    expect(webhook!.spanContext().traceId).toBe(syncRun.spanContext().traceId);
    expect(webhook!.attributes).toMatchObject({ 'notifications.accepted': 1, 'notifications.jobs_enqueued': 1 });
  });

  it('the sync run carries tenant, feature, mode, trigger and the run id the run was recorded under', async () => {
    const [latest] = await rig.services.runs.list(rig.tenantId, 1);
    expect(syncRun.attributes).toEqual({
      'tenant.id': rig.tenantId,
      'sync.feature': 'users',
      'sync.mode': 'delta',
      'sync.trigger': 'notification',
      'sync.run_id': latest!.runId,
    });
    expect(latest).toMatchObject({ trigger: 'notification', status: 'succeeded' });
  });

  it("the run's PBX requests are client spans inside it", () => {
    const pbxRequests = inTrace(syncRun.spanContext().traceId).filter((span) => span.name === 'pbx request');
    expect(pbxRequests.length).toBeGreaterThan(0);
    for (const request of pbxRequests) {
      expect(request.parentSpanId).toBe(syncRun.spanContext().spanId);
      expect(request.attributes).toMatchObject({ 'http.response.status_code': 200 });
      expect(request.attributes['url.path']).toMatch(/^\/api\//);
    }
  });

  it('a manual "Sync now" is traced from its enqueue too', async () => {
    const run = await rig.syncNow('delta');
    const span = recording.named('sync run').find((candidate) => candidate.attributes['sync.run_id'] === run.runId);
    expect(span?.attributes).toMatchObject({ 'tenant.id': rig.tenantId, 'sync.trigger': 'manual' });
    expect(parentOf(span!)?.name).toBe('enqueue');
  });

  it('no span carries a secret: clientState, PBX password, Graph token, function key', async () => {
    const [subscription] = await rig.services.subscriptions.listForTenant(rig.tenantId);
    const clientState = await rig.services.secrets.getSecret(subscription!.clientStateSecretName);
    const secrets = [clientState, rig.pbx.credentials.password, rig.graph.token, 'code='];
    expect(clientState).toBeTruthy();
    const recorded = JSON.stringify(
      recording.spans().map((span) => ({ name: span.name, attributes: span.attributes, events: span.events, status: span.status })),
    );
    expect(recording.spans().length).toBeGreaterThan(10);
    for (const secret of secrets) expect(recorded).not.toContain(secret);
  });
});
