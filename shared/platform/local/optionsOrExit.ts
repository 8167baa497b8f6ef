import { type CommandLine } from './parseCommandLine';

/** EX_USAGE from sysexits.h: the command was used incorrectly. */
export const EXIT_USAGE = 64;

/**
 * The options to run with; otherwise prints the usage and exits: 0 for --help (usage on stdout), 64 for a
 * usage error (message and usage on stderr).
 */
export function optionsOrExit<T>(commandLine: CommandLine<T>, exit: (code: number) => never = (code) => process.exit(code)): T {
  if (commandLine.kind === 'run') return commandLine.options;
  if (commandLine.kind === 'help') {
    console.log(commandLine.usage);
    return exit(0);
  }
  console.error(`${commandLine.message}\n${commandLine.usage}`);
  return exit(EXIT_USAGE);
}
