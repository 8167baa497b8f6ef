import { Logger } from '../../shared/core/logging/Logger';
import { type LogRecord } from '../../shared/core/logging/LogRecord';

/** A logger that keeps what it is told, for tests that assert on what was logged. */
export function capturingLogger(): { logger: Logger; records: LogRecord[]; messages: () => string[] } {
  const records: LogRecord[] = [];
  return { logger: new Logger((r) => records.push(r), 'test'), records, messages: () => records.map((r) => r.message) };
}
