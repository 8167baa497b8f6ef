import { escapeLogName, escapeLogText } from './escapeLogText';
import { type LogFields, type LogRecord } from './LogRecord';

/** Longest message a line carries (messages are sentences from code, but may embed values from outside). */
const MAX_MESSAGE = 4 * 512;

/**
 * The fields to write, every name and string value escaped (escapeLogText): names may come from outside
 * too (a spread object), and every sink writes through here, so nothing reaches a line unescaped.
 */
function safeFields(fields: LogFields): [string, string | number | boolean | null][] {
  const out: [string, string | number | boolean | null][] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out.push([escapeLogName(name), typeof value === 'string' ? escapeLogText(value) : value]);
  }
  return out;
}

const RESERVED = new Set(['time', 'level', 'source', 'message']);

/**
 * One JSON object per line, for Application Insights and any log query: `time`, `level`, `source`,
 * `message`, then the fields. JSON escapes control characters; the line separators and the rest of what
 * escapeLogText covers are escaped too, and long values are cut. A field cannot overwrite the four above.
 */
export function jsonLogLine(record: LogRecord): string {
  const body: Record<string, unknown> = {
    time: record.time.toISOString(),
    level: record.level,
    source: escapeLogText(record.source, 64),
    message: escapeLogText(record.message, MAX_MESSAGE),
  };
  for (const [name, value] of safeFields(record.fields)) body[RESERVED.has(name) ? `field.${name}` : name] = value;
  return JSON.stringify(body);
}

const quoted = (value: string) => (/^[^\s"=]*$/.test(value) && value !== '' ? value : JSON.stringify(value));

/** A readable, timestamped line for a terminal: `time LEVEL [source] message tenant=… run=…`. */
export function textLogLine(record: LogRecord): string {
  const fields = safeFields(record.fields)
    .map(([name, value]) => `${quoted(name)}=${typeof value === 'string' ? quoted(value) : String(value)}`)
    .join(' ');
  const head = `${record.time.toISOString()} ${record.level.toUpperCase().padEnd(5)} [${escapeLogText(record.source, 64)}]`;
  return `${head} ${escapeLogText(record.message, MAX_MESSAGE)}${fields ? ` ${fields}` : ''}`;
}
