import { escapeLogText } from './escapeLogText';
import { type LogFields, type LogRecord } from './LogRecord';

function definedFields(fields: LogFields): [string, string | number | boolean | null][] {
  return Object.entries(fields).filter((entry): entry is [string, string | number | boolean | null] => entry[1] !== undefined);
}

/**
 * One JSON object per line, for Application Insights and any log query: `time`, `level`, `source`,
 * `message`, then the fields. JSON escapes control characters; the line separators JSON leaves alone are
 * escaped too, and long values are cut.
 */
export function jsonLogLine(record: LogRecord): string {
  const body: Record<string, unknown> = {
    time: record.time.toISOString(),
    level: record.level,
    source: record.source,
    message: escapeLogText(record.message, 4 * 512),
  };
  for (const [name, value] of definedFields(record.fields)) body[name] = typeof value === 'string' ? escapeLogText(value) : value;
  return JSON.stringify(body);
}

const quoted = (value: string) => (/^[^\s"=]*$/.test(value) && value !== '' ? value : JSON.stringify(value));

/** A readable, timestamped line for a terminal: `time LEVEL [source] message tenant=… run=…`. */
export function textLogLine(record: LogRecord): string {
  const fields = definedFields(record.fields)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? quoted(escapeLogText(value)) : String(value)}`)
    .join(' ');
  const head = `${record.time.toISOString()} ${record.level.toUpperCase().padEnd(5)} [${escapeLogText(record.source, 64)}]`;
  return `${head} ${escapeLogText(record.message, 4 * 512)}${fields ? ` ${fields}` : ''}`;
}
