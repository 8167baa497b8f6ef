import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHandler, adminRoutes } from '../../../shared/admin/adminRoutes';
import { graphWebhookHandler } from '../../../shared/notifications/graphWebhookHandler';
import { webhookRoutes } from '../../../shared/notifications/webhookRoutes';
import { LocalHttpHost } from '../../../shared/platform/local/LocalHttpHost';
import { type InProcessJobQueue } from '../../../shared/platform/queue/InProcessJobQueue';
import { type Services } from '../../../shared/app/Services';
import { createTestServices } from '../../support/testServices';

/**
 * The local host (npm start) as a web page, a DNS-rebinding site or a careless script would reach it, over
 * real HTTP with node's raw client (which sends a Host header and a path exactly as given). Each refusal is a
 * 4xx with a JSON error saying why, no CORS header, and nothing queued.
 */

const KEY = 'test-admin-key-0123456789abcdefghijklmnopqrstuv';
let services: Services & { queue: InProcessJobQueue };
let host: LocalHttpHost;
let port: number;

beforeAll(async () => {
  services = await createTestServices({}, { publicBaseUrl: 'https://tunnel.example' });
  host = new LocalHttpHost(
    [
      ...adminRoutes.map((route) => ({ ...route, authLevel: 'function' as const, handler: adminHandler(route, async () => services) })),
      ...webhookRoutes.map((route) => ({
        ...route,
        authLevel: 'anonymous' as const,
        handler: graphWebhookHandler(async () => services.webhook),
      })),
    ],
    { adminKey: KEY, publicHosts: ['tunnel.example'] },
  );
  await host.listen(0);
  port = host.port;
  const created = await send(
    'PUT',
    '/api/tenants/demo',
    { 'x-functions-key': KEY, 'content-type': 'application/json' },
    JSON.stringify(tenant),
  );
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await host.close();
});

const tenant = {
  schemaVersion: 2,
  displayName: 'Demo',
  microsoft365: {
    directoryId: '11111111-2222-3333-4444-555555555555',
    applicationId: '66666666-7777-8888-9999-000000000000',
    auth: { kind: 'certificate', certificateName: 'graph-cert' },
  },
  pbx: { kind: 'portsip', baseUrl: 'https://pbx.contoso.com:8887', domain: 'contoso.pbx', credentialSecretName: 'pbx-admin' },
};

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: { error?: { code: string; message: string } } & Record<string, unknown>;
}

function send(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Reply['json'];
        try {
          json = text ? (JSON.parse(text) as Reply['json']) : {};
        } catch {
          json = {};
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const withKey = (headers: Record<string, string> = {}) => ({ 'x-functions-key': KEY, ...headers });

async function expectRefused(reply: Promise<Reply>, status: number, message: RegExp) {
  const before = services.queue.stats().enqueued;
  const r = await reply;
  expect(r.status, r.text).toBe(status);
  expect(r.json.error?.code).toMatch(/^[A-Z_]+$/);
  expect(r.json.error?.message).toMatch(message);
  expect(r.text).not.toMatch(/\bat \S+ \(|\.ts:\d+|Error:/);
  expect(r.headers['access-control-allow-origin']).toBeUndefined();
  expect(services.queue.stats().enqueued).toBe(before);
}

describe('Host: only loopback names with this port (no DNS rebinding)', () => {
  it.each([
    ['another name', 'evil.example', 421, /only answers to localhost:\d+, 127\.0\.0\.1:\d+, \[::1\]:\d+/],
    ['another name with the port', 'evil.example:PORT', 421, /Host header was "evil\.example:\d+"/],
    ['a rebinding name that resolves to 127.0.0.1', '127.0.0.1.nip.io:PORT', 421, /only answers to/],
    ['loopback with another port', '127.0.0.1:1', 421, /only answers to/],
    ['localhost with a trailing dot', 'localhost.:PORT', 421, /only answers to/],
    ['a broken IPv6 literal', '[bad', 400, /not a valid host/],
    ['user info', 'localhost:PORT@evil.example', 400, /not a valid host/],
    ['the tunnel name on an admin route', 'tunnel.example', 421, /only answers to/],
  ])('%s → %i', async (_label, hostHeader, status, message) => {
    await expectRefused(send('GET', '/api/tenants', withKey({ host: hostHeader.replace('PORT', String(port)) })), status, message);
  });

  it('accepts localhost, 127.0.0.1 and [::1] with the port, in any case', async () => {
    for (const name of ['localhost', 'LOCALHOST', '127.0.0.1', '[::1]'])
      expect((await send('GET', '/api/tenants', withKey({ host: `${name}:${port}` }))).status).toBe(200);
  });

  it('the Graph webhook answers the tunnel name (PUBLIC_BASE_URL) without a key', async () => {
    const reply = await send('POST', '/api/graph/notifications?validationToken=hello%20graph', { host: 'tunnel.example' });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('hello graph');
  });
});

describe('Origin: no web page may call it', () => {
  it.each([
    [
      'a foreign site POSTing a sync',
      'POST',
      '/api/tenants/demo/sync',
      { origin: 'https://evil.example' },
      /cross-origin requests are refused/,
    ],
    ['a sandboxed iframe (Origin null)', 'POST', '/api/tenants/demo/sync', { origin: 'null' }, /cross-origin/],
    ['another local port', 'POST', '/api/tenants/demo/subscriptions/maintain', { origin: 'http://localhost:3000' }, /cross-origin/],
    ['https on our own name', 'GET', '/api/tenants', { origin: `https://127.0.0.1:PORT` }, /cross-origin/],
    ['a foreign site reading tenants', 'GET', '/api/tenants', { origin: 'http://evil.example' }, /cross-origin/],
    [
      'a CORS preflight',
      'OPTIONS',
      '/api/tenants/demo',
      { origin: 'http://evil.example', 'access-control-request-method': 'DELETE' },
      /cross-origin/,
    ],
    [
      'a cross-site navigation (Sec-Fetch-Site)',
      'GET',
      '/api/tenants',
      { 'sec-fetch-site': 'cross-site' },
      /cross-site requests are refused/,
    ],
    [
      'a same-site page on another port (Sec-Fetch-Site)',
      'POST',
      '/api/tenants/demo/sync',
      { 'sec-fetch-site': 'same-site' },
      /cross-site/,
    ],
    ['a foreign page on the webhook', 'POST', '/api/graph/notifications', { origin: 'http://evil.example' }, /cross-origin/],
  ])('%s → 403', async (_label, method, path, headers, message) => {
    const fixed = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('PORT', String(port))]));
    await expectRefused(send(method, path, withKey(fixed)), 403, message);
  });

  it('its own origin is accepted', async () => {
    expect((await send('GET', '/api/tenants', withKey({ origin: `http://127.0.0.1:${port}` }))).status).toBe(200);
    expect(
      (await send('GET', '/api/tenants', withKey({ origin: `http://localhost:${port}`, 'sec-fetch-site': 'same-origin' }))).status,
    ).toBe(200);
  });
});

describe('the admin key (x-functions-key or ?code=, as in Azure)', () => {
  it.each([
    ['no key', 'GET', '/api/tenants', {}, /needs a key/],
    ['no key on a sync', 'POST', '/api/tenants/demo/sync', {}, /needs a key/],
    ['no key on maintain', 'POST', '/api/tenants/demo/subscriptions/maintain', {}, /needs a key/],
    ['an empty key', 'GET', '/api/tenants', { 'x-functions-key': '' }, /needs a key/],
    ['a wrong key', 'GET', '/api/tenants/demo', { 'x-functions-key': 'guess' }, /admin key is wrong/],
    ['the key with one character changed', 'GET', '/api/tenants/demo', { 'x-functions-key': `${KEY.slice(0, -1)}X` }, /wrong/],
    ['the key with a suffix', 'DELETE', '/api/tenants/demo', { 'x-functions-key': `${KEY}x` }, /wrong/],
    ['a wrong key in code=', 'GET', '/api/tenants/demo/runs?code=guess', {}, /wrong/],
    ['code= given twice', 'GET', `/api/tenants/demo/runs?code=guess&code=${KEY}`, {}, /more than once/],
    ['a wrong header beside a right code= (the header counts)', 'GET', `/api/tenants?code=${KEY}`, { 'x-functions-key': 'guess' }, /wrong/],
    ['the key as a bearer token (not how Functions takes it)', 'GET', '/api/tenants', { authorization: `Bearer ${KEY}` }, /needs a key/],
  ])('%s → 401', async (_label, method, path, headers, message) => {
    await expectRefused(send(method, path, headers), 401, message);
  });

  it('a 5 MiB body without a key is refused before it is read (401, not 413)', async () => {
    await expectRefused(
      send('PUT', '/api/tenants/demo', { 'content-type': 'application/json' }, Buffer.alloc(5 * 1024 * 1024, 0x20)),
      401,
      /needs a key/,
    );
  });

  it('the key in the header or in code= is accepted; the webhooks need none', async () => {
    expect((await send('GET', '/api/tenants/demo', withKey())).status).toBe(200);
    expect((await send('GET', `/api/tenants/demo/runs?limit=1&code=${encodeURIComponent(KEY)}`)).status).toBe(200);
    const webhook = await send('POST', '/api/graph/lifecycle?validationToken=ok');
    expect(webhook.status).toBe(200);
  });
});

describe('malformed requests → 400/404/405/413 with a clear message, never 500', () => {
  it.each([
    ['truncated percent-encoding', 'GET', '/api/tenants/%E0%A4%A', 400, /not valid percent-encoding/],
    ['overlong UTF-8 for ".."', 'GET', '/api/tenants/%C0%AE%C0%AE', 400, /not valid percent-encoding/],
    ['a lone surrogate', 'GET', '/api/tenants/%ED%A0%80', 400, /not valid percent-encoding/],
    ['bad percent-encoding in the query', 'GET', '/api/tenants/demo/runs?limit=%ZZ', 400, /not valid percent-encoding/],
    ['an absolute-form target naming another host', 'GET', 'http://evil.example/api/tenants', 400, /must be a path/],
    ['a scheme-relative target', 'GET', '//evil.example/api/tenants', 400, /must be a path/],
    ['an encoded slash in an id', 'GET', '/api/tenants/demo%2F..%2Fother', 400, /invalid tenant id/],
    ['a BOM in an id', 'GET', '/api/tenants/%EF%BB%BFdemo', 400, /invalid tenant id/],
    ['an RTL override in an id', 'GET', '/api/tenants/%E2%80%AEomed', 400, /invalid tenant id/],
    ['an emoji run id', 'GET', '/api/tenants/demo/runs/%F0%9F%98%80', 400, /invalid run id/],
    ['DELETE on the tenant list', 'DELETE', '/api/tenants', 405, /DELETE is not allowed/],
    ['PATCH on a tenant', 'PATCH', '/api/tenants/demo', 405, /PATCH is not allowed/],
    ['GET on sync', 'GET', '/api/tenants/demo/sync', 405, /GET is not allowed/],
    ['GET on maintain', 'GET', '/api/tenants/demo/subscriptions/maintain', 405, /GET is not allowed/],
    ['an unknown route', 'GET', '/api/admin', 404, /no route/],
    ['a path outside /api', 'GET', '/etc/passwd', 404, /no route/],
  ])('%s → %i', async (_label, method, path, status, message) => {
    await expectRefused(send(method, path, withKey()), status, message);
  });

  it('405 names the methods the route takes', async () => {
    const reply = await send('PATCH', '/api/tenants/demo', withKey());
    expect(reply.headers.allow).toBe('GET, PUT, DELETE');
  });

  it('a body over 4 MiB → 413', async () => {
    await expectRefused(
      send('PUT', '/api/tenants/demo', withKey({ 'content-type': 'application/json' }), Buffer.alloc(5 * 1024 * 1024, 0x20)),
      413,
      /too large/,
    );
  });

  it('still serves the next request after all of that', async () => {
    expect((await send('GET', '/api/tenants/demo', withKey())).status).toBe(200);
  });
});
