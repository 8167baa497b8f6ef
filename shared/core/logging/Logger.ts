import { type LogFields, type LogLevel, type LogSink } from './LogRecord';

/**
 * The one logger: structured records with the fields of where they happen (tenant, run, job, feature),
 * written by a sink chosen at the edge (Functions host or terminal). `with` adds fields for a narrower
 * scope; the message should be a plain sentence, with values from outside passed as fields.
 */
export class Logger {
  constructor(
    private readonly sink: LogSink,
    private readonly source: string,
    private readonly fields: LogFields = {},
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A logger that writes nothing (tests, and callers that do not care). */
  static silent(): Logger {
    return new Logger(() => undefined, 'silent');
  }

  with(fields: LogFields): Logger {
    return new Logger(this.sink, this.source, { ...this.fields, ...fields }, this.now);
  }

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  private write(level: LogLevel, message: string, fields: LogFields | undefined): void {
    this.sink({ time: this.now(), level, source: this.source, message, fields: fields ? { ...this.fields, ...fields } : this.fields });
  }
}
