import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/core/errors/AppError';
import { ThreeCxTransport, type ThreeCxTransportOptions } from '../../../../shared/pbx/threecx/ThreeCxTransport';
import { ThreeCxUserSchema } from '../../../../shared/pbx/threecx/threeCxSchemas';
import { appErrorOf } from '../../../support/appErrorOf';
import { BASE_URL, CLIENT_SECRET, fakeXapi, jwtExpiringAt, rawUser } from './fakeXapi';

function transportOver(fake: ReturnType<typeof fakeXapi>, options: Partial<ThreeCxTransportOptions> = {}) {
  return new ThreeCxTransport({
    baseUrl: BASE_URL,
    clientId: '900',
    clientSecret: CLIENT_SECRET,
    rateLimitPerMinute: 600_000,
    maxConcurrency: 4,
    fetch: fake.fetch,
    ...options,
  });
}

const ok = (body: unknown = { value: [] }) => ({ status: 200, body });

describe('ThreeCxTransport: tokens', () => {
  it('fetches one token for ten concurrent calls (single flight), with the client-credentials form', async () => {
    const fake = fakeXapi({ tokenDelayMs: 30 });
    fake.on('GET', /^\/xapi\/v1\/Groups$/, () => ok());
    const transport = transportOver(fake);
    await Promise.all(Array.from({ length: 10 }, () => transport.call('GET', '/Groups?$top=1', { what: 'listing' })));
    const tokenRequests = fake.tokenRequests();
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenRequests[0]!.body))).toEqual({
      client_id: '900',
      client_secret: CLIENT_SECRET,
      grant_type: 'client_credentials',
    });
    expect(fake.xapiRequests().every((r) => r.headers.authorization === 'Bearer token-1')).toBe(true);
  });

  it('reuses the token and renews it a minute before expires_in runs out', async () => {
    let now = 0;
    const fake = fakeXapi({ expiresIn: 3600 });
    fake.on('GET', /^\/xapi\/v1\/Groups$/, () => ok());
    const transport = transportOver(fake, { now: () => now });
    await transport.call('GET', '/Groups', { what: 'a' });
    now = 3_539_000;
    await transport.call('GET', '/Groups', { what: 'b' });
    expect(fake.tokenRequests()).toHaveLength(1);
    now = 3_540_000;
    await transport.call('GET', '/Groups', { what: 'c' });
    expect(fake.tokenRequests()).toHaveLength(2);
    expect(fake.xapiRequests().at(-1)!.headers.authorization).toBe('Bearer token-2');
  });

  it("renews from a JWT's own exp rather than expires_in", async () => {
    let now = 1_000_000_000_000;
    const fake = fakeXapi();
    let issued = 0;
    fake.on('POST', /^\/connect\/token$/, () => {
      issued += 1;
      // exp says 10 minutes, expires_in says an hour: exp wins.
      return ok({ access_token: jwtExpiringAt(now / 1000 + 600) + issued, expires_in: 3600 });
    });
    fake.on('GET', /^\/xapi\/v1\/Groups$/, () => ok());
    const transport = transportOver(fake, { now: () => now });
    await transport.call('GET', '/Groups', { what: 'a' });
    now += 539_000;
    await transport.call('GET', '/Groups', { what: 'b' });
    expect(issued).toBe(1);
    now += 1_000;
    await transport.call('GET', '/Groups', { what: 'c' });
    expect(issued).toBe(2);
  });

  it('on a 401 fetches one new token and replays the call once', async () => {
    const fake = fakeXapi();
    fake.once('GET', /^\/xapi\/v1\/Groups$/, () => ({ status: 401 }));
    fake.on('GET', /^\/xapi\/v1\/Groups$/, () => ok({ value: [{ Id: 1 }] }));
    const transport = transportOver(fake);
    expect(await transport.call('GET', '/Groups', { what: 'listing' })).toEqual({ value: [{ Id: 1 }] });
    expect(fake.tokenRequests()).toHaveLength(2);
    expect(fake.xapiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('a second 401 is UNAUTHORIZED naming the API client id and secret, with no secret in it', async () => {
    const fake = fakeXapi();
    fake.on('GET', /^\/xapi\/v1\/Groups$/, () => ({ status: 401 }));
    const transport = transportOver(fake);
    const err = await appErrorOf(transport.call('GET', '/Groups', { what: 'listing departments' }));
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).toContain('the 3CX API client id and secret');
    expect(err.message).not.toContain(CLIENT_SECRET);
    expect(fake.tokenRequests()).toHaveLength(2);
    expect(fake.xapiRequests()).toHaveLength(2);
  });

  it('a refused client secret is UNAUTHORIZED without the secret or the description', async () => {
    const fake = fakeXapi();
    fake.on('POST', /^\/connect\/token$/, () => ({
      status: 401,
      body: { error: 'invalid_client', error_description: `client_secret ${CLIENT_SECRET} is wrong` },
    }));
    const err = await appErrorOf(transportOver(fake).call('GET', '/Groups', { what: 'listing' }));
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).toContain('invalid_client');
    expect(err.message).toContain('3CX API client id and secret');
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain(CLIENT_SECRET);
  });
});

describe('ThreeCxTransport: retries', () => {
  it('honours Retry-After in seconds on a 429', async () => {
    const started = Date.now();
    const fake2 = fakeXapi();
    fake2.once('GET', /^\/xapi\/v1\/Groups$/, () => ({ status: 429, headers: { 'retry-after': '0.3' } }));
    fake2.on('GET', /^\/xapi\/v1\/Groups$/, () => ok());
    await transportOver(fake2).call('GET', '/Groups', { what: 'listing' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(fake2.xapiRequests()).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP date on a 503, and retries 502 and 504', async () => {
    const fake = fakeXapi();
    fake.once('GET', /^\/xapi\/v1\/Groups$/, () => ({ status: 504 }));
    fake.once('GET', /^\/xapi\/v1\/Groups$/, () => ({ status: 502 }));
    fake.once('GET', /^\/xapi\/v1\/Groups$/, () => ({
      status: 503,
      headers: { 'retry-after': new Date(Date.now() + 1500).toUTCString() },
    }));
    fake.on('GET', /^\/xapi\/v1\/Groups$/, () => ok());
    const started = Date.now();
    await transportOver(fake).call('GET', '/Groups', { what: 'listing' });
    // An HTTP date has whole seconds: the wait is between 0.5 and 1.5 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(fake.xapiRequests()).toHaveLength(4);
  });

  it('gives up after maxRetries with THROTTLED, carrying Retry-After', async () => {
    const fake = fakeXapi();
    fake.on('GET', /^\/xapi\/v1\/Groups$/, () => ({ status: 429, headers: { 'retry-after': '0' } }));
    const err = await appErrorOf(transportOver(fake, { maxRetries: 2 }).call('GET', '/Groups', { what: 'listing' }));
    expect(err.code).toBe('THROTTLED');
    expect(err.retryAfterMs).toBe(0);
    expect(fake.xapiRequests()).toHaveLength(3);
  });

  it('does not retry a 500 (TRANSIENT for the job) and retries network failures', async () => {
    const fake = fakeXapi();
    fake.on('GET', /^\/xapi\/v1\/Broken$/, () => ({ status: 500, body: { error: { code: 'InternalError', message: 'boom' } } }));
    fake.once('GET', /^\/xapi\/v1\/Groups$/, () => new TypeError('fetch failed'));
    fake.on('GET', /^\/xapi\/v1\/Groups$/, () => ok());
    const transport = transportOver(fake);
    expect((await appErrorOf(transport.call('GET', '/Broken', { what: 'x' }))).code).toBe('TRANSIENT');
    expect(fake.xapiRequests()).toHaveLength(1);
    await transport.call('GET', '/Groups', { what: 'listing' });
    expect(fake.xapiRequests()).toHaveLength(3);
  });
});

describe('ThreeCxTransport: reads', () => {
  it('pages with $top=100 and $skip until a short page', async () => {
    const fake = fakeXapi();
    fake.on('GET', /^\/xapi\/v1\/Users$/, (request) => {
      const skip = Number(new URLSearchParams(request.url.split('?')[1]).get('$skip'));
      const size = skip < 200 ? 100 : 3;
      return ok({ value: Array.from({ length: size }, (_, i) => rawUser(skip + i + 1, String(100 + skip + i))) });
    });
    const transport = transportOver(fake);
    const pages: number[] = [];
    for await (const page of transport.pages('/Users', '$select=Id,Number', ThreeCxUserSchema, 'listing')) pages.push(page.length);
    expect(pages).toEqual([100, 100, 3]);
    expect(fake.xapiRequests().map((r) => r.url)).toEqual([
      '/xapi/v1/Users?$select=Id,Number&$top=100&$skip=0',
      '/xapi/v1/Users?$select=Id,Number&$top=100&$skip=100',
      '/xapi/v1/Users?$select=Id,Number&$top=100&$skip=200',
    ]);
  });

  it('stops after a full page followed by an empty one', async () => {
    const fake = fakeXapi();
    fake.on('GET', /^\/xapi\/v1\/Contacts$/, (request) =>
      ok({ value: request.url.includes('$skip=0') ? Array.from({ length: 100 }, (_, i) => ({ Id: i })) : [] }),
    );
    const pages: number[] = [];
    for await (const page of transportOver(fake).pages('/Contacts', '', ThreeCxUserSchema.pick({ Id: true }), 'listing')) {
      pages.push(page.length);
    }
    expect(pages).toEqual([100]);
    expect(fake.xapiRequests()).toHaveLength(2);
  });

  it('refuses to read Users without $select (SIP secrets), before sending anything', async () => {
    const fake = fakeXapi();
    const transport = transportOver(fake);
    for (const path of ['/Users', '/Users?$top=100', "/Users(Number='101')", '/Users(5)']) {
      expect((await appErrorOf(transport.call('GET', path, { what: 'reading' }))).code).toBe('INTERNAL');
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('maps the OData error envelope, keeps ALREADY_IN_USE with its target, and redacts the secret and token', async () => {
    const fake = fakeXapi();
    fake.on('POST', /^\/xapi\/v1\/Users$/, () => ({
      status: 400,
      body: {
        error: {
          code: '',
          message: 'Number:\nWARNINGS.XAPI.ALREADY_IN_USE',
          details: [{ code: 'WARNINGS.XAPI.ALREADY_IN_USE', message: 'Number:\nWARNINGS.XAPI.ALREADY_IN_USE', target: 'Number' }],
        },
      },
    }));
    fake.on('PATCH', /^\/xapi\/v1\/Users\(1\)$/, () => ({
      status: 400,
      body: { error: { code: 'INVALID', message: `bad value near ${CLIENT_SECRET} / token-1` } },
    }));
    const transport = transportOver(fake);
    const conflict = await appErrorOf(transport.call('POST', '/Users', { what: 'creating extension 101', body: { Number: '101' } }));
    expect(conflict.code).toBe('CONFLICT');
    expect(conflict.upstreamCode).toBe('WARNINGS.XAPI.ALREADY_IN_USE');
    expect(conflict.details).toEqual({ target: 'Number' });
    expect(conflict.message).toContain('Number is already in use');
    const invalid = await appErrorOf(transport.call('PATCH', '/Users(1)', { what: 'updating', body: {} }));
    expect(invalid.code).toBe('INVALID');
    expect(invalid.message).not.toContain(CLIENT_SECRET);
    expect(invalid.message).not.toContain('token-1');
  });

  it('refuses plain http to anything but a loopback host, with CONFIG', () => {
    const fake = fakeXapi();
    expect(() => transportOver(fake, { baseUrl: 'http://pbx.contoso.com:5000' })).toThrow(AppError);
    expect(() => transportOver(fake, { baseUrl: 'http://pbx.contoso.com:5000' })).toThrow(/not https/);
    expect(() => transportOver(fake, { baseUrl: 'http://127.0.0.1:5000' })).not.toThrow();
  });

  it('refuses to follow a redirect (it would carry the secret elsewhere)', async () => {
    const fake = fakeXapi();
    fake.on('POST', /^\/connect\/token$/, () => ({ status: 307, headers: { location: 'https://elsewhere.example/connect/token' } }));
    expect((await appErrorOf(transportOver(fake).call('GET', '/Groups', { what: 'listing' }))).code).toBe('CONFIG');
  });
});
