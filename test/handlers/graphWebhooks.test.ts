import { HttpRequest, InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { clientStateHash } from '../../shared/graph/clientState';
import { graphWebhookHandler } from '../../shared/notifications/graphWebhookHandler';
import { TEST_DIRECTORY_ID, subscriptionRecord } from '../support/subscriptionRecord';
import { tableFreeIntake } from '../support/recordingDeltaRequests';

const DIRECTORY = TEST_DIRECTORY_ID;
const SUBSCRIPTION = '7e0d2c4a-9f1b-4c3d-8e5f-a1b2c3d4e5f6';
const record = subscriptionRecord({ subscriptionId: SUBSCRIPTION, clientStateHash: clientStateHash('secret-state') });

function setup() {
  const { intake, queue } = tableFreeIntake((id) => (id === record.subscriptionId ? record : null));
  let initialised = 0;
  const handler = graphWebhookHandler(async () => {
    initialised += 1;
    return intake;
  });
  const call = async (init: { query?: string; body?: string | Buffer; headers?: Record<string, string>; method?: string }) => {
    const request = new HttpRequest({
      method: init.method ?? 'POST',
      url: `https://fn.example/api/graph/notifications${init.query ?? ''}`,
      headers: init.headers ?? { 'content-type': 'application/json; charset=utf-8' },
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? { string: init.body } : { bytes: init.body } }),
    });
    const response = await handler(request, new InvocationContext({ functionName: 'graphNotifications', invocationId: 'test' }));
    return {
      status: response.status ?? 200,
      body: response.body,
      json: response.jsonBody as Record<string, unknown> | undefined,
      headers: (response.headers ?? {}) as Record<string, string>,
    };
  };
  return { call, queue, intake, initialised: () => initialised };
}

const item = (overrides: Record<string, unknown> = {}) => ({
  subscriptionId: SUBSCRIPTION,
  changeType: 'updated',
  resource: 'Users/abc',
  resourceData: { id: 'abc' },
  clientState: 'secret-state',
  tenantId: DIRECTORY,
  ...overrides,
});

describe('graphNotifications / graphLifecycle HTTP handler', () => {
  it('answers the validation handshake with exactly the decoded token as text/plain, before initialising anything', async () => {
    const { call, initialised } = setup();
    const token = 'Validation: Testing client application reachability for subscription Request-Id: 7f2b7a1e-1c3d-4e5f-8a9b-0c1d2e3f4a5b';
    const response = await call({
      query: `?validationToken=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toBe(token);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(initialised()).toBe(0);
  });

  it('reflects nothing as HTML: a markup token comes back as plain text with nosniff', async () => {
    const { call } = setup();
    const token = '<script>alert(1)</script>';
    const response = await call({ query: `?validationToken=${encodeURIComponent(token)}` });
    expect(response.body).toBe(token);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses an empty or absurdly long token', async () => {
    const { call } = setup();
    expect((await call({ query: '?validationToken=' })).status).toBe(400);
    expect((await call({ query: `?validationToken=${'a'.repeat(3000)}` })).status).toBe(400);
  });

  it('accepts a valid batch with 202 and queues one delta job', async () => {
    const { call, queue } = setup();
    const response = await call({ body: JSON.stringify({ value: [item(), item()] }) });
    expect(response.status).toBe(202);
    expect(response.json).toEqual({ accepted: 2, dropped: {}, jobsEnqueued: 1 });
    expect(queue.stats().enqueued).toBe(1);
  });

  it('answers 202 but queues nothing for forged or unknown items', async () => {
    const { call, queue } = setup();
    const response = await call({
      body: JSON.stringify({ value: [item({ clientState: 'forged' }), item({ subscriptionId: '00000000-1111-4222-8333-444444444444' })] }),
    });
    expect(response.status).toBe(202);
    expect(response.json).toEqual({ accepted: 0, dropped: { clientStateMismatch: 1, unknownSubscription: 1 }, jobsEnqueued: 0 });
    expect(queue.stats().enqueued).toBe(0);
  });

  it('415 for a body that is not JSON', async () => {
    const { call } = setup();
    expect((await call({ body: 'value=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
  });

  it('413 for an oversized body', async () => {
    const { call } = setup();
    const big = JSON.stringify({ value: [item({ padding: 'x'.repeat(1024 * 1024) })] });
    expect((await call({ body: big })).status).toBe(413);
  });

  it('400 for malformed JSON, 422 for JSON that is not a notification batch', async () => {
    const { call } = setup();
    expect((await call({ body: '{"value": [' })).status).toBe(400);
    expect((await call({ body: JSON.stringify({ value: [] }) })).status).toBe(422);
    expect((await call({ body: JSON.stringify({ items: [item()] }) })).status).toBe(422);
    const allBad = await call({ body: JSON.stringify({ value: [{ changeType: 'updated' }] }) });
    expect(allBad.status).toBe(422);
  });

  it('503 when the job cannot be queued, so Graph delivers again', async () => {
    const { call, queue } = setup();
    await queue.close();
    const response = await call({ body: JSON.stringify({ value: [item()] }) });
    expect(response.status).toBe(503);
  });
});
