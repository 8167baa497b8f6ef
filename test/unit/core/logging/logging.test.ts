import { InvocationContext } from '@azure/functions';
import { afterEach, describe, expect, it } from 'vitest';
import { escapeLogText, MAX_LOG_VALUE } from '../../../../shared/core/logging/escapeLogText';
import { jsonLogLine, textLogLine } from '../../../../shared/core/logging/formatLogLine';
import { Logger } from '../../../../shared/core/logging/Logger';
import { type LogRecord } from '../../../../shared/core/logging/LogRecord';
import { loggerFor } from '../../../../shared/core/logging/loggerFor';
import { setLogFormat } from '../../../../shared/core/logging/logSinks';

const hostile = 'sub-1\n2026-12-01T00:00:00.000Z INFO  [syncWorker] forged line\r\u0000\u001b[31m\u2028end';
const at = new Date('2026-12-01T12:00:00.000Z');
const record = (extra: Partial<LogRecord> = {}): LogRecord => ({
  time: at,
  level: 'warn',
  source: 'graphNotifications',
  message: `dropped ${hostile}`,
  fields: { tenant: 'contoso', subscription: hostile, count: 3 },
  ...extra,
});
// Anything that could end a line or drive a terminal.
// eslint-disable-next-line no-control-regex -- the test looks for exactly these characters
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

afterEach(() => setLogFormat('json'));

describe('escapeLogText', () => {
  it('turns line breaks, NUL, escape sequences and line separators into visible escapes', () => {
    const escaped = escapeLogText(hostile);
    expect(escaped).not.toMatch(UNSAFE);
    expect(escaped).toContain('sub-1\\n2026');
    expect(escaped).toContain('\\r\\u0000\\u001b[31m\\u2028end');
  });

  it('cuts over-long values and says by how much', () => {
    const escaped = escapeLogText('x'.repeat(MAX_LOG_VALUE + 10));
    expect(escaped).toBe(`${'x'.repeat(MAX_LOG_VALUE)}…(+10)`);
  });
});

describe('log lines', () => {
  it('JSON: one line, parseable, with time, level, source, message and fields', () => {
    const line = jsonLogLine(record());
    expect(line).not.toMatch(UNSAFE);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({ time: at.toISOString(), level: 'warn', source: 'graphNotifications', tenant: 'contoso', count: 3 });
    expect(parsed.subscription).toBe(escapeLogText(hostile));
    expect(parsed.message).toBe(`dropped ${escapeLogText(hostile)}`);
  });

  it('text: one timestamped line with fields as key=value, quoted where needed', () => {
    const line = textLogLine(record({ fields: { tenant: 'contoso', run: 'r 1', skipped: undefined, ok: true } }));
    expect(line).toBe(
      `2026-12-01T12:00:00.000Z WARN  [graphNotifications] dropped ${escapeLogText(hostile)} tenant=contoso run="r 1" ok=true`,
    );
    expect(line).not.toMatch(UNSAFE);
  });
});

describe('Logger', () => {
  it('carries the fields of its scope on every line, narrower scopes adding their own', () => {
    const lines: LogRecord[] = [];
    const root = new Logger(
      (r) => lines.push(r),
      'syncWorker',
      { invocation: 'i-1' },
      () => at,
    );
    const run = root.with({ tenant: 'contoso', run: 'r1', feature: 'users' });
    run.info('run started');
    run.with({ job: 'j1' }).error('run failed', { code: 'TRANSIENT' });
    root.debug('idle');
    expect(lines.map((l) => [l.level, l.message, l.fields])).toEqual([
      ['info', 'run started', { invocation: 'i-1', tenant: 'contoso', run: 'r1', feature: 'users' }],
      ['error', 'run failed', { invocation: 'i-1', tenant: 'contoso', run: 'r1', feature: 'users', job: 'j1', code: 'TRANSIENT' }],
      ['debug', 'idle', { invocation: 'i-1' }],
    ]);
  });

  it('writes JSON lines through the invocation context at the matching level', () => {
    const written: [string, string][] = [];
    const context = new InvocationContext({
      functionName: 'syncWorker',
      invocationId: 'inv-7',
      logHandler: (level, ...args) => written.push([level, args.map(String).join(' ')]),
    });
    const logger = loggerFor(context).with({ tenant: 'contoso' });
    logger.info('queued', { job: hostile });
    logger.error('failed');
    expect(written.map(([level]) => level)).toEqual(['information', 'error']);
    const first = JSON.parse(written[0]![1]) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'info', source: 'syncWorker', invocation: 'inv-7', tenant: 'contoso', message: 'queued' });
    expect(written[0]![1]).not.toMatch(UNSAFE);
  });

  it('writes readable lines when the process asks for text', () => {
    setLogFormat('text');
    const written: string[] = [];
    const context = new InvocationContext({
      functionName: 'adminApi',
      invocationId: 'x',
      logHandler: (_l, ...args) => written.push(String(args[0])),
    });
    loggerFor(context).warn('slow', { tenant: 'demo' });
    expect(written[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN {2}\[adminApi\] slow invocation=x tenant=demo$/);
  });
});
