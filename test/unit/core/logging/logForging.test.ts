import { describe, expect, it } from 'vitest';
import { escapeLogText } from '../../../../shared/core/logging/escapeLogText';
import { jsonLogLine, textLogLine } from '../../../../shared/core/logging/formatLogLine';
import { type LogRecord } from '../../../../shared/core/logging/LogRecord';

// eslint-disable-next-line no-control-regex -- the test looks for exactly these characters
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
const at = new Date('2026-12-01T12:00:00.000Z');
const line = (fields: LogRecord['fields'], extra: Partial<LogRecord> = {}): LogRecord => ({
  time: at,
  level: 'info',
  source: 'graphNotifications',
  message: 'm',
  fields,
  ...extra,
});

describe('escapeLogText: beyond controls', () => {
  it.each([
    ['bidi override (Trojan Source)', 'admin\u202e\u2066txt.exe', 'admin\\u202e\\u2066txt.exe'],
    ['byte-order mark and LRM/RLM', '\ufeffa\u200eb\u200f', '\\ufeffa\\u200eb\\u200f'],
    ['a literal backslash-n (cannot pass for an escaped newline)', 'a\\nb', 'a\\\\nb'],
    ['a lone high surrogate', 'a\ud800b', 'a\\ud800b'],
    ['a lone low surrogate', 'a\udc00b', 'a\\udc00b'],
    ['a real surrogate pair (emoji) stays', 'ok 😀', 'ok 😀'],
  ])('%s', (_what, input, expected) => {
    expect(escapeLogText(input)).toBe(expected);
  });

  it('a newline and a literal backslash-n come out different', () => {
    expect(escapeLogText('a\nb')).not.toBe(escapeLogText('a\\nb'));
  });
});

describe('log lines: names, reserved keys and source', () => {
  const hostileName = 'x\n2026-12-01 ERROR [admin] forged\u2028';

  it('JSON: field names from outside are escaped, and a field cannot overwrite time, level, source or message', () => {
    const text = jsonLogLine(line({ [hostileName]: 1, level: 'error', message: 'forged', time: 'then', source: 'admin' }));
    expect(text).not.toMatch(UNSAFE);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: 'info', message: 'm', source: 'graphNotifications', time: at.toISOString() });
    expect(parsed).toMatchObject({ 'field.level': 'error', 'field.message': 'forged', 'field.time': 'then', 'field.source': 'admin' });
    expect(parsed[escapeLogText(hostileName, 64)]).toBe(1);
  });

  it('JSON: the source is escaped too (U+2028 survives JSON.stringify otherwise)', () => {
    const text = jsonLogLine(line({}, { source: 'src\u2028x' }));
    expect(text).not.toMatch(UNSAFE);
    expect((JSON.parse(text) as { source: string }).source).toBe('src\\u2028x');
  });

  it('text: a hostile field name cannot start a new line or fake a key=value pair', () => {
    const text = textLogLine(line({ [hostileName]: 'v', 'a b=c': 'd', '': 'empty' }));
    expect(text).not.toMatch(UNSAFE);
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toContain(`${JSON.stringify(escapeLogText(hostileName, 64))}=v`);
    expect(text).toContain('"a b=c"=d');
    expect(text).toContain('(empty)=empty');
  });
});
