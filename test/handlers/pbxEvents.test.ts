import { HttpRequest, InvocationContext } from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Services } from '../../shared/app/Services';
import { type TimerJob } from '../../shared/app/jobs/SyncJob';
import { CallStateOptionsSchema } from '../../shared/features/callState/callStateOptions';
import { rotatePbxKey } from '../../shared/pbxApi/rotatePbxKey';
import { MAX_EVENT_BODY_BYTES } from '../../shared/pbxApi/pbxEventHandlers';
import { pbxHandler, pbxRoutes } from '../../shared/pbxApi/pbxRoutes';
import { createTestServices } from '../support/testServices';
import { tenantConfig } from '../integration/platform/tables/storeTestTables';
import { RecordingQueue } from '../support/recordingQueue';

const NOW = new Date('2027-01-04T09:00:30.000Z');
let services: Services;
let queue: RecordingQueue;
const keys: Record<string, string> = {};

async function events(tenantId: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const route = pbxRoutes.find((r) => r.name === 'pbxEvents')!;
  const request = new HttpRequest({
    method: 'POST',
    url: `http://localhost:7071/api/pbx/${tenantId}/events`,
    params: { tenantId },
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[tenantId]}`, ...headers },
    body: typeof body === 'string' ? { string: body } : { bytes: body },
  });
  const response = await pbxHandler(route, async () => services, { now: () => NOW })(
    request,
    new InvocationContext({ functionName: 'pbxEvents', invocationId: 'test' }),
  );
  return { status: response.status ?? 200, body: (response.jsonBody ?? {}) as Record<string, any> };
}

beforeAll(async () => {
  queue = new RecordingQueue();
  services = { ...(await createTestServices()), queue };
  await services.tenants.create('calls', { ...tenantConfig(), callState: CallStateOptionsSchema.parse({ enabled: true }) });
  await services.tenants.create('quiet', tenantConfig());
  keys.calls = (await rotatePbxKey(services.pbxKeys, 'calls')).key;
  keys.quiet = (await rotatePbxKey(services.pbxKeys, 'quiet')).key;
});

describe('POST /api/pbx/{tenantId}/events', () => {
  it('queues one call-state job per call event, in the tenant’s realtime lane, and says what it did', async () => {
    queue.jobs.length = 0;
    const answer = await events(
      'calls',
      JSON.stringify([
        { event_type: 'extension_call', extension: '101', extension_id: 'u1', call_status: 'ON_CALL', time: '1799571600' },
        { event_type: 'extension_call', extension: '102', call_status: 'RINGING', time: '1799571600' },
        { event_type: 'extension_presence', extension: '101', presence: 'AWAY' },
        { event_type: 'extension_call', call_status: 'ON_CALL' },
      ]),
    );
    expect(answer).toMatchObject({ status: 200, body: { accepted: 2, ignored: 1, invalid: 1, queued: 1 } });
    expect(answer.body.problems).toEqual(['event 3: extension_call names no extension']);
    const [{ job }] = queue.jobs as unknown as [{ job: TimerJob }];
    expect(job).toMatchObject({
      kind: 'timer',
      tenantId: 'calls',
      feature: 'callState',
      lane: 'realtime',
      subject: 'id:u1',
      key: 'onCall:1799571600000',
    });
  });

  it('answers 400 when nothing can be understood, 413 for a body over the limit, 404 when no feature uses call events', async () => {
    expect((await events('calls', '[]')).status).toBe(400);
    expect((await events('calls', '{"event_type": 7}')).status).toBe(400);
    expect((await events('calls', new Uint8Array([0xff, 0xfe]))).status).toBe(400);
    expect((await events('calls', 'x'.repeat(MAX_EVENT_BODY_BYTES + 1))).status).toBe(413);
    const off = await events('quiet', JSON.stringify({ event_type: 'extension_call', extension: '101', call_status: '' }));
    expect(off.status).toBe(404);
    expect(off.body.error.message).toMatch(/callState/);
  });

  it('refuses a key of another tenant (403) and no key at all (401)', async () => {
    const body = JSON.stringify({ event_type: 'extension_call', extension: '101', call_status: '' });
    expect((await events('calls', body, { authorization: `Bearer ${keys.quiet}` })).status).toBe(403);
    expect((await events('calls', body, { authorization: '' })).status).toBe(401);
  });
});
