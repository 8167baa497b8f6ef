import { type InvocationContext } from '@azure/functions';
import { jsonLogLine, textLogLine } from './formatLogLine';
import { type LogLevel, type LogRecord, type LogSink } from './LogRecord';

export type LogFormat = 'json' | 'text';

/**
 * How lines look: JSON (the default, what Application Insights and log queries want) or readable text
 * (`npm start`, the CLI). One setting per process, read from LOG_FORMAT or set by the local host.
 */
let format: LogFormat = process.env.LOG_FORMAT === 'text' ? 'text' : 'json';

export function setLogFormat(next: LogFormat): void {
  format = next;
}

const lineOf = (record: LogRecord) => (format === 'json' ? jsonLogLine(record) : textLogLine(record));

/** Through the Functions host, so lines land in Application Insights with the invocation they belong to. */
export function invocationLogSink(context: InvocationContext): LogSink {
  const byLevel: Record<LogLevel, (line: string) => void> = {
    debug: (line) => context.debug(line),
    info: (line) => context.info(line),
    warn: (line) => context.warn(line),
    error: (line) => context.error(line),
  };
  return (record) => byLevel[record.level](lineOf(record));
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Readable lines on stderr from `minLevel` up, for commands whose stdout is their result (CLI, bench). */
export function stderrLogSink(minLevel: LogLevel): LogSink {
  return (record) => {
    if (RANK[record.level] >= RANK[minLevel]) process.stderr.write(`${textLogLine(record)}\n`);
  };
}

/** Straight to the process's stdout/stderr (local host, CLI): warnings and errors to stderr. */
export function consoleLogSink(): LogSink {
  return (record) => {
    const line = lineOf(record);
    if (record.level === 'warn' || record.level === 'error') process.stderr.write(`${line}\n`);
    else process.stdout.write(`${line}\n`);
  };
}
