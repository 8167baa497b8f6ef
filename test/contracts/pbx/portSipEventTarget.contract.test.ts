import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TokenBucketRateLimiter } from '../../../shared/core/http/TokenBucketRateLimiter';
import { PortSipApi } from '../../../shared/pbx/portsip/PortSipApi';
import { PortSipEventTarget } from '../../../shared/pbx/portsip/PortSipEventTarget';
import { PortSipSession } from '../../../shared/pbx/portsip/PortSipSession';
import { PortSipTransport } from '../../../shared/pbx/portsip/PortSipTransport';
import { PortSipSandbox } from '../../../sandbox/portsip';
import { appErrorOf } from '../../support/appErrorOf';

/** One POST the receiver took: the Authorization header and the JSON body. */
interface Received {
  authorization: string | undefined;
  body: { event_type?: string } & Record<string, unknown>;
}

const TOKEN = 'event-token-4f1c9a2e7b';

let pbx: PortSipSandbox | undefined;
let receiver: Server;
let receiverUrl: string;
let received: Received[] = [];

beforeAll(async () => {
  // A tiny webhook receiver standing in for the connector's endpoint.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ authorization: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/pbx/events`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
afterEach(async () => {
  await pbx?.stop();
  pbx = undefined;
  received = [];
});

/**
 * The adapter over an admin API signed in to the sandbox, built from the same parts PortSipClient builds its
 * admin API from (the client keeps its own private).
 */
async function setup(fetchImpl: typeof fetch = (input, init) => fetch(input, init)) {
  pbx = await PortSipSandbox.start();
  const transport = new PortSipTransport({
    apiRoot: `${pbx.baseUrl}/api`,
    limiter: new TokenBucketRateLimiter({ perMinute: 600_000, maxConcurrency: 8 }),
    fetch: fetchImpl,
    maxRetries: 0,
    timeoutMs: 10_000,
  });
  const { username, password, domain } = pbx.credentials;
  const admin = new PortSipApi(transport, new PortSipSession({ username, password, domain }, transport));
  return { sandbox: pbx, target: new PortSipEventTarget(admin), requestCount: () => transport.requestCount() };
}

describe('PortSipEventTarget against the PortSIP sandbox', () => {
  it('reads no target before any registration', async () => {
    const { target } = await setup();
    expect(await target.read()).toEqual({ enabled: false, auth: 'DISABLE', url: null });
  });

  it('registers a Bearer target the PBX then posts its extension events to, and unregisters it', async () => {
    const { target, sandbox } = await setup();
    await target.register({ url: receiverUrl, token: TOKEN });
    expect(await target.read()).toEqual({ enabled: true, auth: 'BEARER', url: receiverUrl });

    const alice = sandbox.addUser({ name: 'alice', extension_number: '1001', email: 'alice@contoso.com' });
    sandbox.setCallInProgress(alice.id, true);
    await sandbox.extensionEventsSettled();
    expect(received).toHaveLength(1);
    expect(received[0]!.authorization).toBe(`Bearer ${TOKEN}`);
    expect(received[0]!.body.event_type).toBe('extension_call');

    await target.unregister();
    expect(await target.read()).toMatchObject({ enabled: false, auth: 'DISABLE' });
    sandbox.setCallInProgress(alice.id, false);
    await sandbox.extensionEventsSettled();
    expect(received).toHaveLength(1);
  });

  it('refuses a URL over 128 characters as INVALID without a request, never naming the token', async () => {
    const { target, requestCount } = await setup();
    const url = `http://127.0.0.1/${'x'.repeat(128 - 'http://127.0.0.1/'.length + 1)}`;
    expect(url).toHaveLength(129);
    const err = await appErrorOf(target.register({ url, token: TOKEN }));
    expect(err.code).toBe('INVALID');
    expect(err.message).toContain('at most 128');
    expect(err.message).not.toContain(TOKEN);
    expect(requestCount()).toBe(0);
    expect(await target.read()).toEqual({ enabled: false, auth: 'DISABLE', url: null });
  });

  it('keeps the token out of a refusal even when the PBX echoes the request back', async () => {
    // A PBX whose 400 quotes the body it refused (the token with it).
    const echoingPbx: typeof fetch = async (input, init) => {
      if (init?.method !== 'POST' || !new URL(input).pathname.endsWith('/api/tenant')) return fetch(input, init);
      const sent = typeof init.body === 'string' ? init.body : '{}';
      const errors = [{ code: 'VALIDATE_FAILED', message: `bad body ${sent}`, detail: JSON.parse(sent) as unknown }];
      return new Response(JSON.stringify({ errors }), { status: 400, headers: { 'content-type': 'application/json' } });
    };
    const { target } = await setup(echoingPbx);
    const err = await appErrorOf(target.register({ url: receiverUrl, token: TOKEN }));
    expect(err.code).toBe('INVALID');
    expect(err.message).toContain('bad body');
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain(TOKEN);
  });

  it('reads a sparse tenant answer: blank url as null, missing auth as DISABLE, other fields passed over', async () => {
    let extensionEvent: unknown;
    const sparsePbx: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' || !new URL(input).pathname.endsWith('/api/tenant')) return fetch(input, init);
      const body = { id: 't1', name: 'Contoso', max_extensions: 1000, extension_event: extensionEvent };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const { target } = await setup(sparsePbx);
    for (const shown of [{ enabled: false, url: '' }, { enabled: false }, { enabled: false, auth: null, url: null }, undefined, null]) {
      extensionEvent = shown;
      expect(await target.read()).toEqual({ enabled: false, auth: 'DISABLE', url: null });
    }
    extensionEvent = { enabled: true, auth: 'BASIC', username: 'someone', url: 'https://hooks.example.com/x', extra: 1 };
    expect(await target.read()).toEqual({ enabled: true, auth: 'BASIC', url: 'https://hooks.example.com/x' });
  });
});
