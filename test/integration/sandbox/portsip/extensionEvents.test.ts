import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PortSipSandbox } from '../../../../sandbox/portsip';
import { aliceUserBody } from '../../../support/aliceUserBody';
import { expectPortSipError } from '../../../support/expectPortSipError';
import { portSipRestCall, type PortSipReply } from '../../../support/portSipRestCall';

interface Received {
  headers: IncomingHttpHeaders;
  text: string;
  body: Record<string, unknown>;
}

/** A webhook receiver on 127.0.0.1 that answers the queued statuses in turn (200 once they run out). */
interface Receiver {
  url: string;
  received: Received[];
  answer(...statuses: number[]): void;
  /** Every answer waits this long first. */
  answerDelayMs: number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const statuses: number[] = [];
  const received: Received[] = [];
  const receiver: Partial<Receiver> = { received, answerDelayMs: 0, answer: (...more) => statuses.push(...more) };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, text, body: JSON.parse(text) as Record<string, unknown> });
      const status = statuses.shift() ?? 200;
      setTimeout(() => {
        res.statusCode = status;
        res.end();
      }, receiver.answerDelayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/portsip/events`;
  receiver.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return receiver as Receiver;
}

let pbx: PortSipSandbox | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await pbx?.stop();
  await receiver?.close();
  pbx = undefined;
  receiver = undefined;
});

const call = (method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<PortSipReply> =>
  portSipRestCall(pbx!, method, path, options);

const ok = (reply: PortSipReply, status = 200): PortSipReply => {
  expect(reply.status, reply.text).toBe(status);
  return reply;
};

const TOKEN = 'hook-secret-4711';

/** A sandbox with short retry waits, the admin's token, alice (1001) created over REST, and a receiver. */
async function start(): Promise<{ admin: string; aliceId: string }> {
  pbx = await PortSipSandbox.start({ extensionEventRetryDelaysMs: [30, 60, 90] });
  receiver = await startReceiver();
  const signIn = await call('POST', '/api/auth/sign_in', {
    body: { username: pbx.credentials.username, password: pbx.credentials.password, domain: pbx.credentials.domain },
  });
  const admin = (ok(signIn).body as { access_token: string }).access_token;
  const created = ok(await call('POST', '/api/users', { token: admin, body: aliceUserBody('Portal#4Xy7q') }), 201);
  return { admin, aliceId: (created.body as { id: string }).id };
}

async function register(admin: string): Promise<void> {
  ok(
    await call('POST', '/api/tenant', {
      token: admin,
      body: { extension_event: { enabled: true, auth: 'BEARER', token: TOKEN, url: receiver!.url } },
    }),
  );
}

const controlCall = (userId: string, active: boolean) => call('POST', `/_sandbox/users/${userId}/call`, { body: { active } });

describe('the sandbox PortSIP: registering the extension event webhook', () => {
  it('keeps extension_event from POST /api/tenant and shows it in GET /api/tenant without the token', async () => {
    const { admin } = await start();
    const before = ok(await call('GET', '/api/tenant', { token: admin })).body as Record<string, unknown>;
    expect(before.id).toMatch(/^[0-9]{6,20}$/);
    expect(before.domain).toBe(pbx!.credentials.domain);
    expect(before.extension_event).toEqual({ enabled: false, auth: 'DISABLE', username: null, url: null });

    await register(admin);
    const after = ok(await call('GET', '/api/tenant', { token: admin }));
    expect((after.body as Record<string, unknown>).extension_event).toEqual({
      enabled: true,
      auth: 'BEARER',
      username: null,
      url: receiver!.url,
    });
    expect(after.text).not.toContain(TOKEN);
    expect(after.text).not.toContain('"token"');

    // A partial update keeps the token it leaves out: the next event still carries it.
    ok(await call('POST', '/api/tenant', { token: admin, body: { name: 'Contoso', extension_event: { enabled: true } } }));
    expect((ok(await call('GET', '/api/tenant', { token: admin })).body as { name: string }).name).toBe('Contoso');
  });

  it('refuses a url over 128 characters or not http(s), an enabled target without url, and callers without an admin token', async () => {
    const { admin } = await start();
    const long = `http://127.0.0.1/${'a'.repeat(112)}`;
    expect(long.length).toBe(129);
    expectPortSipError(
      await call('POST', '/api/tenant', { token: admin, body: { extension_event: { enabled: true, url: long } } }),
      400,
      'VALIDATE_FAILED',
      'extension_event.url',
    );
    expectPortSipError(
      await call('POST', '/api/tenant', { token: admin, body: { extension_event: { enabled: true, url: 'ftp://x.example/e' } } }),
      400,
      'VALIDATE_FAILED',
      'extension_event.url',
    );
    expectPortSipError(
      await call('POST', '/api/tenant', { token: admin, body: { extension_event: { enabled: true } } }),
      400,
      'VALIDATE_FAILED',
      'extension_event.url',
    );
    expectPortSipError(
      await call('POST', '/api/tenant', { token: admin, body: { extension_event: { enabled: true, auth: 'BEARER', url: receiver!.url } } }),
      400,
      'VALIDATE_FAILED',
      'extension_event.token',
    );
    // 128 characters is still fine.
    ok(await call('POST', '/api/tenant', { token: admin, body: { extension_event: { url: long.slice(0, 128) } } }));
    expectPortSipError(await call('GET', '/api/tenant'), 401, 'UNAUTHORIZED');
    expectPortSipError(await call('POST', '/api/tenant', { body: { extension_event: { enabled: false } } }), 401, 'UNAUTHORIZED');
    const shown = ok(await call('GET', '/api/tenant', { token: admin })).body as { extension_event: unknown };
    expect(shown.extension_event).toEqual({ enabled: false, auth: 'DISABLE', username: null, url: long.slice(0, 128) });
  });
});

describe('the sandbox PortSIP: extension events on calls', () => {
  it('posts extension_call ON_CALL then "" with the Bearer token when a call starts and ends', async () => {
    const { admin, aliceId } = await start();
    pbx!.setCallInProgress(aliceId, true);
    await pbx!.extensionEventsSettled();
    expect(pbx!.extensionEventLog()).toEqual([]); // not registered yet: nothing sent
    pbx!.setCallInProgress(aliceId, false);

    await register(admin);
    const before = Math.floor(Date.now() / 1000);
    ok(await controlCall(aliceId, true));
    ok(await controlCall(aliceId, true)); // no change, no event
    pbx!.setCallInProgress(aliceId, false);
    await pbx!.extensionEventsSettled();

    const received = receiver!.received;
    expect(received).toHaveLength(2);
    for (const r of received) {
      expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(r.headers['content-type']).toMatch(/^application\/json; charset=utf-8$/i);
    }
    const statuses = received.map((r) => r.body.call_status).sort();
    expect(statuses).toEqual(['', 'ON_CALL']);
    const callStart = received.find((r) => r.body.call_status === 'ON_CALL')!.body;
    expect(callStart).toEqual({
      event_type: 'extension_call',
      extension: '1001',
      call_status: 'ON_CALL',
      tenant_id: (ok(await call('GET', '/api/tenant', { token: admin })).body as { id: string }).id,
      extension_id: aliceId,
      time: expect.stringMatching(/^[0-9]{10}$/) as unknown,
    });
    expect(Number(callStart.time)).toBeGreaterThanOrEqual(before);
    expect(Number(callStart.time)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));

    const log = pbx!.extensionEventLog();
    expect(log.map((d) => [d.state, d.status, d.attempts.length])).toEqual([
      ['delivered', 200, 1],
      ['delivered', 200, 1],
    ]);
    expect(log[0]!.body).toMatchObject({ event_type: 'extension_call', call_status: 'ON_CALL' });
    expect(log[0]!.sentAt).toBeGreaterThanOrEqual(log[0]!.queuedAt);
    expect(JSON.stringify(log)).not.toContain(TOKEN);

    const view = ok(await call('GET', '/_sandbox/extension-events')).body as { pending: number; count: number; value: unknown[] };
    expect(view.pending).toBe(0);
    expect(view.count).toBe(2);
  });

  it('does not make the control call wait for a slow receiver', async () => {
    const { admin, aliceId } = await start();
    await register(admin);
    receiver!.answerDelayMs = 800;
    const began = Date.now();
    ok(await controlCall(aliceId, true));
    expect(Date.now() - began).toBeLessThan(500);
    expect(pbx!.extensionEventLog()[0]!.state).toBe('pending');
    await pbx!.extensionEventsSettled();
    expect(pbx!.extensionEventLog()[0]!.state).toBe('delivered');
  });

  it('retries an event the receiver answered 500, and stops at a 404', async () => {
    const { admin, aliceId } = await start();
    await register(admin);
    receiver!.answer(500, 200);
    pbx!.setCallInProgress(aliceId, true);
    await pbx!.extensionEventsSettled();
    expect(receiver!.received).toHaveLength(2);
    expect(receiver!.received[1]!.text).toBe(receiver!.received[0]!.text);
    const [retried] = pbx!.extensionEventLog();
    expect(retried!.attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(retried!.state).toBe('delivered');
    expect(retried!.attempts[1]!.at - retried!.attempts[0]!.at).toBeGreaterThanOrEqual(25);

    receiver!.answer(404);
    pbx!.setCallInProgress(aliceId, false);
    await pbx!.extensionEventsSettled();
    await new Promise((resolve) => setTimeout(resolve, 250)); // longer than every retry wait together
    expect(receiver!.received).toHaveLength(3);
    const rejected = pbx!.extensionEventLog()[1]!;
    expect(rejected.state).toBe('rejected');
    expect(rejected.attempts.map((a) => a.status)).toEqual([404]);

    // Every retry used up: 1 + 3 attempts, then failed.
    receiver!.answer(503, 503, 503, 503);
    pbx!.setCallInProgress(aliceId, true);
    await pbx!.extensionEventsSettled();
    expect(pbx!.extensionEventLog()[2]!.attempts.map((a) => a.status)).toEqual([503, 503, 503, 503]);
    expect(pbx!.extensionEventLog()[2]!.state).toBe('failed');
  });

  it('sends extension_status for the named users through the control route', async () => {
    const { admin, aliceId } = await start();
    expectPortSipError(await call('POST', '/_sandbox/extension-events/status', { body: {} }), 409, 'CONFLICT');
    await register(admin);
    pbx!.setPresenceByHand(aliceId, 'AWAY', 'Back at 3');
    ok(await call('POST', '/_sandbox/extension-events/status', { body: { user_ids: [aliceId] } }), 202);
    await pbx!.extensionEventsSettled();
    expect(receiver!.received[0]!.body).toEqual({
      event_type: 'extension_status',
      tenant_id: expect.stringMatching(/^[0-9]+$/) as unknown,
      status: [
        {
          extension: `sip:1001@${pbx!.credentials.domain}`,
          extension_id: aliceId,
          call_status: '',
          online: true,
          presence: 'AWAY',
          presence_note: 'Back at 3',
          push_online: false,
          time: expect.stringMatching(/^[0-9]{10}$/) as unknown,
        },
      ],
    });
    expectPortSipError(await call('POST', '/_sandbox/extension-events/status', { body: { user_ids: ['nobody'] } }), 404, 'NOT_FOUND');
  });
});

describe('the sandbox PortSIP: extension event faults', () => {
  it('drops, duplicates, reorders and delays events as the switches say', async () => {
    const { admin, aliceId } = await start();
    await register(admin);
    const set = (body: unknown) => call('POST', '/_sandbox/extension-events/faults', { body });

    expect(ok(await set({ drop: 1 })).body).toEqual({ faults: { drop: 1, drop_probability: 0, duplicate: 0, reorder: 0, delay_ms: 0 } });
    pbx!.setCallInProgress(aliceId, true); // dropped
    pbx!.setCallInProgress(aliceId, false);
    await pbx!.extensionEventsSettled();
    expect(receiver!.received.map((r) => r.body.call_status)).toEqual(['']);
    expect(pbx!.extensionEventLog().map((d) => d.state)).toEqual(['dropped', 'delivered']);

    ok(await set({ duplicate: 1 }));
    pbx!.setCallInProgress(aliceId, true);
    await pbx!.extensionEventsSettled();
    expect(receiver!.received.slice(1).map((r) => r.text)).toEqual([receiver!.received[1]!.text, receiver!.received[1]!.text]);
    expect(receiver!.received).toHaveLength(3);
    const copies = pbx!.extensionEventLog().slice(2);
    expect(copies.map((d) => [d.eventId, d.copy])).toEqual([
      [copies[0]!.eventId, 1],
      [copies[0]!.eventId, 2],
    ]);

    ok(await set({ reorder: 1 }));
    pbx!.setCallInProgress(aliceId, false); // held
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver!.received).toHaveLength(3);
    expect(pbx!.extensionEventLog().at(-1)!.state).toBe('held');
    pbx!.setCallInProgress(aliceId, true); // sent first, then the held one
    await pbx!.extensionEventsSettled();
    expect(receiver!.received.slice(3).map((r) => r.body.call_status)).toEqual(['ON_CALL', '']);

    expect((ok(await set({ delay_ms: 150 })).body as { faults: { delay_ms: number } }).faults.delay_ms).toBe(150);
    pbx!.setCallInProgress(aliceId, false);
    await pbx!.extensionEventsSettled();
    const delayed = pbx!.extensionEventLog().at(-1)!;
    expect(delayed.state).toBe('delivered');
    expect(delayed.sentAt! - delayed.queuedAt).toBeGreaterThanOrEqual(145);

    expectPortSipError(await set({ drop: -1 }), 400, 'VALIDATE_FAILED', 'drop');
    expectPortSipError(await set({ drop_probability: 2 }), 400, 'VALIDATE_FAILED', 'drop_probability');
    expect(pbx!.setExtensionEventFaults({ delayMs: 0 })).toEqual({ drop: 0, dropProbability: 0, duplicate: 0, reorder: 0, delayMs: 0 });
  });

  it('cancels pending retries when the sandbox stops', async () => {
    pbx = await PortSipSandbox.start({ extensionEventRetryDelaysMs: [60_000] });
    receiver = await startReceiver();
    const signIn = await call('POST', '/api/auth/sign_in', {
      body: { username: pbx.credentials.username, password: pbx.credentials.password, domain: pbx.credentials.domain },
    });
    const admin = (ok(signIn).body as { access_token: string }).access_token;
    await register(admin);
    const alice = pbx.addUser({ name: 'alice', extension_number: '1001', email: 'alice@contoso.com' });
    receiver.answer(500);
    pbx.setCallInProgress(alice.id, true);
    await expect.poll(() => pbx!.extensionEventLog()[0]?.attempts.length).toBe(1);
    const began = Date.now();
    await pbx.stop();
    await pbx.extensionEventsSettled();
    expect(Date.now() - began).toBeLessThan(1000);
    expect(pbx.extensionEventLog()[0]!.state).toBe('cancelled');
    expect(receiver.received).toHaveLength(1);
    pbx = undefined;
  });
});
