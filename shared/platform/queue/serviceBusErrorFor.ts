import { isServiceBusError } from '@azure/service-bus';
import { AppError } from '../../core/errors/AppError';
import { ensureError } from '../../core/errors/ensureError';

const CONFIG_CODES = new Set(['UnauthorizedAccess', 'MessagingEntityNotFound', 'MessagingEntityDisabled']);

/**
 * Maps a failed send to our error codes. Access and missing-queue problems will not heal by retrying, so
 * they are CONFIG with a hint; everything else (ServiceBusy, ServiceTimeout, GeneralError, network
 * problems, unknown failures) is TRANSIENT, as isRetryable treats unknown failures.
 */
export function serviceBusErrorFor(err: unknown, queueName: string): AppError {
  if (err instanceof AppError) return err;
  if (isServiceBusError(err) && CONFIG_CODES.has(err.code)) {
    const hint =
      err.code === 'UnauthorizedAccess'
        ? `the identity needs the "Azure Service Bus Data Sender" role on queue "${queueName}" (or a connection string with Send rights)`
        : `check that queue "${queueName}" exists, is enabled and has sessions and duplicate detection on (ServiceBusQueueName)`;
    return new AppError('CONFIG', `Service Bus refused the sync job (${err.code}): ${hint}`, { cause: err, upstreamCode: err.code });
  }
  if (ensureError(err).name === 'CredentialUnavailableError') {
    return new AppError('CONFIG', `no credential could authenticate to Service Bus for queue "${queueName}": ${ensureError(err).message}`, {
      cause: err,
    });
  }
  const code = isServiceBusError(err) ? err.code : undefined;
  return new AppError('TRANSIENT', `Service Bus did not take the sync job${code ? ` (${code})` : ''}: ${ensureError(err).message}`, {
    cause: err,
    upstreamCode: code,
  });
}
