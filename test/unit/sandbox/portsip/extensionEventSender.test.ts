import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { disabledEventTarget, type EventTarget } from '../../../../sandbox/portsip/eventTargetBodies';
import { extensionCallMessage } from '../../../../sandbox/portsip/extensionEventMessages';
import { ExtensionEventSender } from '../../../../sandbox/portsip/ExtensionEventSender';

interface Received {
  headers: IncomingHttpHeaders;
  body: { call_status: string; extension: string };
}

/** A receiver on 127.0.0.1 whose answer to each request `respond` decides (200 when it returns nothing). */
async function startReceiver(respond: (req: IncomingMessage, res: ServerResponse) => number | 'hang' | void = () => 200) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'] });
      const status = respond(req, res);
      if (status === 'hang' || res.writableEnded) return;
      res.statusCode = status ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?tenant=1`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  closers.push(close);
  return { url, received };
}

const closers: Array<() => Promise<void>> = [];
const senders: ExtensionEventSender[] = [];
afterEach(async () => {
  for (const sender of senders.splice(0)) sender.stop();
  for (const close of closers.splice(0)) await close();
});

function sender(options: ConstructorParameters<typeof ExtensionEventSender>[0] = { retryDelaysMs: [20, 40] }): ExtensionEventSender {
  const created = new ExtensionEventSender(options);
  senders.push(created);
  return created;
}

const bearerTarget = (url: string): EventTarget => ({ ...disabledEventTarget(), enabled: true, auth: 'BEARER', token: 'tok-123', url });
const event = (n: number) => extensionCallMessage('883611252155219968', { number: String(1000 + n), id: `id-${n}` }, 'ON_CALL');

describe('ExtensionEventSender', () => {
  it('sends nothing for a disabled target or one without url', async () => {
    const { url, received } = await startReceiver();
    const s = sender();
    s.send({ ...bearerTarget(url), enabled: false }, event(1));
    s.send({ ...bearerTarget(url), url: null }, event(2));
    await s.settled();
    expect(received).toHaveLength(0);
    expect(s.deliveries()).toEqual([]);
  });

  it('retries on the configured schedule and records every attempt', async () => {
    const answers = [500, 502, 200];
    const { url, received } = await startReceiver(() => answers.shift());
    const s = sender({ retryDelaysMs: [50, 100] });
    s.send(bearerTarget(url), event(1));
    await s.settled();
    const [delivery] = s.deliveries();
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 502, 200]);
    expect(delivery!.attempts[1]!.at - delivery!.attempts[0]!.at).toBeGreaterThanOrEqual(45);
    expect(delivery!.attempts[2]!.at - delivery!.attempts[1]!.at).toBeGreaterThanOrEqual(95);
    expect(delivery!.state).toBe('delivered');
    expect(delivery!.status).toBe(200);
    expect(received.map((r) => r.headers.authorization)).toEqual(['Bearer tok-123', 'Bearer tok-123', 'Bearer tok-123']);
  });

  it('stops at a 404, and gives up after the last retry', async () => {
    const answers = [404, 503, 503, 503];
    const { url, received } = await startReceiver(() => answers.shift());
    const s = sender({ retryDelaysMs: [10, 10] });
    s.send(bearerTarget(url), event(1));
    await s.settled();
    s.send(bearerTarget(url), event(2));
    await s.settled();
    expect(s.deliveries().map((d) => [d.state, d.attempts.map((a) => a.status)])).toEqual([
      ['rejected', [404]],
      ['failed', [503, 503, 503]],
    ]);
    expect(received).toHaveLength(4);
  });

  it('counts an unanswered POST as a failed attempt (timeout) and retries it', async () => {
    let calls = 0;
    const { url } = await startReceiver(() => (++calls === 1 ? 'hang' : 200));
    const s = sender({ retryDelaysMs: [10], timeoutMs: 100 });
    s.send(bearerTarget(url), event(1));
    await s.settled();
    const [delivery] = s.deliveries();
    expect(delivery!.attempts[0]!.status).toBeNull();
    expect(delivery!.attempts[0]!.error).toMatch(/timeout|abort/i);
    expect(delivery!.attempts[1]!.status).toBe(200);
    expect(delivery!.state).toBe('delivered');
  });

  it('signs with Basic, and answers a Digest challenge', async () => {
    const basic = await startReceiver();
    const s = sender();
    s.send(
      { ...disabledEventTarget(), enabled: true, auth: 'BASIC', username: 'hookuser', password: 'hookpass1', url: basic.url },
      event(1),
    );
    await s.settled();
    expect(basic.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('hookuser:hookpass1').toString('base64')}`);

    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    const digest = await startReceiver((req, res) => {
      const header = req.headers.authorization;
      if (!header) {
        res.writeHead(401, { 'www-authenticate': 'Digest realm="pbx-hooks", nonce="abc123", qop="auth", opaque="op"' }).end();
        return;
      }
      const field = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(header)?.[1] ?? '';
      const ha1 = md5(`hookuser:pbx-hooks:hookpass1`);
      const ha2 = md5(`POST:${field('uri')}`);
      const expected = md5(`${ha1}:abc123:${field('nc')}:${field('cnonce')}:auth:${ha2}`);
      return field('response') === expected && field('uri') === '/hook?tenant=1' && field('opaque') === 'op' ? 200 : 403;
    });
    s.send(
      { ...disabledEventTarget(), enabled: true, auth: 'DIGEST', username: 'hookuser', password: 'hookpass1', url: digest.url },
      event(2),
    );
    await s.settled();
    const delivery = s.deliveries()[1]!;
    expect(delivery.state).toBe('delivered');
    expect(delivery.attempts.map((a) => a.status)).toEqual([200]);
    expect(digest.received).toHaveLength(2);
  });

  it('drops by count, and by a seeded probability that repeats exactly', async () => {
    const { url, received } = await startReceiver();
    const s = sender();
    expect(s.setFaults({ drop: 2 })).toEqual({ drop: 2, dropProbability: 0, duplicate: 0, reorder: 0, delayMs: 0 });
    for (let n = 1; n <= 3; n += 1) s.send(bearerTarget(url), event(n));
    await s.settled();
    expect(received.map((r) => r.body.extension)).toEqual(['1003']);
    expect(s.faultState().drop).toBe(0);

    const pattern = (seed: number) => {
      const t = sender();
      t.setFaults({ dropProbability: 0.5, seed });
      for (let n = 0; n < 40; n += 1) t.send(bearerTarget(url), event(n));
      return t.deliveries().map((d) => d.state === 'dropped');
    };
    const first = pattern(7);
    expect(pattern(7)).toEqual(first);
    expect(first.filter(Boolean).length).toBeGreaterThan(5);
    expect(first.filter(Boolean).length).toBeLessThan(35);
  });

  it('duplicates the next N events, each copy retried on its own', async () => {
    const answers = [500];
    const { url, received } = await startReceiver(() => answers.shift());
    const s = sender();
    s.setFaults({ duplicate: 1 });
    s.send(bearerTarget(url), event(1));
    s.send(bearerTarget(url), event(2));
    await s.settled();
    expect(received.map((r) => r.body.extension).sort()).toEqual(['1001', '1001', '1001', '1002']);
    const log = s.deliveries();
    expect(log.map((d) => [d.eventId, d.copy, d.state])).toEqual([
      [1, 1, 'delivered'],
      [1, 2, 'delivered'],
      [2, 1, 'delivered'],
    ]);
    expect(log[0]!.attempts.length + log[1]!.attempts.length).toBe(3);
  });

  it('reorders: a held event goes after the next one; settled() sends one left without a partner', async () => {
    const { url, received } = await startReceiver();
    const s = sender();
    s.setFaults({ reorder: 2 });
    s.send(bearerTarget(url), event(1)); // held
    s.send(bearerTarget(url), event(2)); // releases 1
    s.send(bearerTarget(url), event(3)); // held, no partner
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.map((r) => r.body.extension)).toEqual(['1002', '1001']);
    expect(s.pendingCount()).toBe(1);
    await s.settled();
    expect(received.map((r) => r.body.extension)).toEqual(['1002', '1001', '1003']);
    expect(s.deliveries().every((d) => d.state === 'delivered')).toBe(true);
  });

  it('delays the first attempt by delayMs', async () => {
    const { url } = await startReceiver();
    const s = sender();
    s.setFaults({ delayMs: 120 });
    s.send(bearerTarget(url), event(1));
    expect(s.deliveries()[0]!.sentAt).toBeNull();
    await s.settled();
    const [delivery] = s.deliveries();
    expect(delivery!.sentAt! - delivery!.queuedAt).toBeGreaterThanOrEqual(115);
  });

  it('refuses nonsense switches and options', () => {
    const s = sender();
    expect(() => s.setFaults({ drop: -1 })).toThrow(/drop/);
    expect(() => s.setFaults({ dropProbability: 1.5 })).toThrow(/dropProbability/);
    expect(() => s.setFaults({ delayMs: Number.NaN })).toThrow(/delayMs/);
    expect(() => new ExtensionEventSender({ retryDelaysMs: [-5] })).toThrow(/retryDelaysMs/);
  });

  it('stop() cancels delays, retries and held events at once', async () => {
    const { url, received } = await startReceiver(() => 500);
    const s = sender({ retryDelaysMs: [60_000] });
    s.send(bearerTarget(url), event(1)); // will wait a minute to retry
    s.setFaults({ delayMs: 60_000 });
    s.send(bearerTarget(url), event(2)); // waits a minute before its first attempt
    s.setFaults({ delayMs: 0, reorder: 1 });
    s.send(bearerTarget(url), event(3)); // held
    await expect.poll(() => s.deliveries()[0]!.attempts.length).toBe(1);
    const began = Date.now();
    s.stop();
    await s.settled();
    expect(Date.now() - began).toBeLessThan(500);
    expect(s.deliveries().map((d) => d.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    s.send(bearerTarget(url), event(4));
    expect(s.deliveries()[3]!.state).toBe('cancelled');
    expect(received).toHaveLength(1);
  });
});
