import { type InvocationContext } from '@azure/functions';
import { Logger } from './Logger';
import { invocationLogSink } from './logSinks';

/** The logger of one function invocation: its lines carry the function name and invocation id. */
export function loggerFor(context: InvocationContext): Logger {
  return new Logger(invocationLogSink(context), context.functionName, { invocation: context.invocationId });
}
