import { parseArgs, type ParseArgsConfig } from 'node:util';
import { type z } from 'zod';

export type CommandLine<T> =
  { kind: 'run'; options: T } | { kind: 'help'; usage: string } | { kind: 'usageError'; message: string; usage: string };

export interface CommandLineSpec<S extends z.ZodType> {
  usage: string;
  /** node:util parseArgs options; `help` (-h) is added. */
  options: NonNullable<ParseArgsConfig['options']>;
  /** Validates parseArgs' values (strings and booleans, keyed by the option's long name). */
  schema: S;
}

/**
 * A script's arguments, strictly: an unknown option, a missing value, a stray word or a value the schema
 * refuses is a usage error (never an exception with a stack), and --help / -h asks for the usage.
 */
export function parseCommandLine<S extends z.ZodType>(argv: readonly string[], spec: CommandLineSpec<S>): CommandLine<z.output<S>> {
  const { usage } = spec;
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return { kind: 'usageError', message: err instanceof Error ? err.message : String(err), usage };
  }
  if (values.help) return { kind: 'help', usage };
  delete values.help;
  const parsed = spec.schema.safeParse(values);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => (issue.path.length ? `--${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    return { kind: 'usageError', message, usage };
  }
  return { kind: 'run', options: parsed.data };
}
