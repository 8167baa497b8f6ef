export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogValue = string | number | boolean | null | undefined;

/**
 * Fields every line can carry. `tenant`, `run`, `job` and `feature` are the ones to filter on; others are
 * free-form details of one line.
 */
export interface LogFields {
  tenant?: string | undefined;
  run?: string | undefined;
  job?: string | undefined;
  feature?: string | undefined;
  [name: string]: LogValue;
}

export interface LogRecord {
  time: Date;
  level: LogLevel;
  /** Where the line comes from (a function name, `local`, `cli`). */
  source: string;
  message: string;
  fields: LogFields;
}

/** Where records go: a JSON line through the Functions host, or a readable line on a terminal. */
export type LogSink = (record: LogRecord) => void;
