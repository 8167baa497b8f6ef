import { randomUUID } from 'node:crypto';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { afterEach, describe, expect, it } from 'vitest';
import { escapeLogText } from '../../shared/core/logging/escapeLogText';
import { setLogFormat } from '../../shared/core/logging/logSinks';
import { tableFreeIntake } from '../support/recordingDeltaRequests';

/**
 * Log forging through the anonymous webhook: values from outside (here subscription ids, the only ones the
 * drop line carries) with newlines, CR, NUL, ANSI escapes, U+2028/2029, bidi overrides and literal
 * backslashes must come out as one line per batch, escaped, in both log formats.
 */
// eslint-disable-next-line no-control-regex -- exactly the characters that must never reach a line raw
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const HOSTILE_IDS = [
  'x\n2026-12-01T00:00:00.000Z INFO  [syncWorker] forged line',
  'x\r\nlevel=error msg="forged"',
  'nul\u0000byte',
  'ansi\u001b[31mred\u001b[0m\u001b[2J',
  'line\u2028separator\u2029paragraph',
  'bidi\u202eevil\u2066',
  'literal\\nbackslash-n',
  'c1\u0085next-line',
];

function setup() {
  const { handler, queue } = tableFreeIntake(() => null);
  const lines: string[] = [];
  const context = () =>
    new InvocationContext({
      functionName: 'graphNotifications',
      invocationId: 'forging',
      logHandler: (_level, ...args) => lines.push(args.map(String).join(' ')),
    });
  const post = async (items: unknown[]) =>
    handler(
      new HttpRequest({
        method: 'POST',
        url: 'https://fn.example/api/graph/notifications',
        headers: { 'content-type': 'application/json' },
        body: { string: JSON.stringify({ value: items }) },
      }),
      context(),
    );
  return { post, lines, queue };
}

afterEach(() => setLogFormat('json'));

describe.each(['json', 'text'] as const)('log forging through the webhook (%s lines)', (format) => {
  it.each(HOSTILE_IDS)('one escaped line per batch for the id %j', async (id) => {
    setLogFormat(format);
    const { post, lines, queue } = setup();
    const tenantId = randomUUID();
    // The hostile item first (it names the line), then a forged but well-shaped one, so both drop paths run.
    const response = await post([
      { subscriptionId: id, tenantId },
      { subscriptionId: randomUUID(), tenantId, clientState: id.slice(0, 100) },
    ]);
    expect(response.status).toBe(202);
    expect(queue.stats().enqueued).toBe(0);
    expect(lines).toHaveLength(1);
    const [line] = lines as [string];
    expect(line).not.toMatch(UNSAFE);
    expect(line.split('\n')).toHaveLength(1);
    if (format === 'json') {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed).toMatchObject({
        level: 'warn',
        firstDropped: escapeLogText(id),
        firstReason: 'invalid',
        invalid: 1,
        unknownSubscription: 1,
      });
    } else {
      // key=value, the value JSON-quoted when it holds spaces or quotes: read it back.
      const raw = /firstDropped=("(?:[^"\\]|\\.)*"|\S*)/.exec(line)![1]!;
      expect(raw.startsWith('"') ? JSON.parse(raw) : raw).toBe(escapeLogText(id));
      expect(line).toMatch(/ firstReason=invalid( |$)/);
    }
  });

  it('a batch of 1,000 hostile ids is still one line', async () => {
    setLogFormat(format);
    const { post, lines } = setup();
    const items = Array.from({ length: 999 }, (_, i) => ({
      subscriptionId: `${HOSTILE_IDS[i % HOSTILE_IDS.length]}${i}`,
      tenantId: randomUUID(),
    }));
    const response = await post([...items, { subscriptionId: randomUUID(), tenantId: randomUUID() }]);
    expect(response.status).toBe(202);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(UNSAFE);
  });
});
