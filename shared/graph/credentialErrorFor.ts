import { AppError } from '../core/errors/AppError';

/**
 * Classifies a failure to get an app-only token. Entra ID's refusals (wrong secret, unknown application or
 * directory, certificate not registered on the app) carry an AADSTS code and will not fix themselves;
 * anything else (login host unreachable, timeouts) is worth retrying. @azure/identity wraps both in
 * several error classes, so the AADSTS code is the one dependable signal.
 */
export function credentialErrorFor(err: unknown): AppError {
  const message = err instanceof Error ? err.message : String(err);
  const refusal = /(AADSTS\d+)(:[^.\n]*)?/.exec(message);
  if (refusal) {
    return new AppError(
      'UNAUTHORIZED',
      `Entra ID refused the app's credentials (${refusal[0]}); check the directory id, application id and the client secret or certificate`,
      {
        cause: err,
        upstreamCode: refusal[1],
      },
    );
  }
  return new AppError('TRANSIENT', `could not get a Microsoft Graph token from Entra ID: ${message.split('\n')[0]}`, { cause: err });
}
