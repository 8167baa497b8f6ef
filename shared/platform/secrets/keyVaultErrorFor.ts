import { AppError } from '../../core/errors/AppError';

/** The parts of the SDK's RestError we read (a network failure is a RestError without a status). */
interface KeyVaultFailure {
  name?: string;
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Maps a Key Vault failure to our error codes; `what` names the item ("secret pbx-admin"). The SDK error is
 * deliberately not kept as `cause`: its request may carry the secret value being written. `roles` names what the
 * identity needs when access is denied (certificates need other roles than secrets).
 */
export function keyVaultErrorFor(
  err: unknown,
  what: string,
  roles = 'the Key Vault Secrets User role (Secrets Officer to write)',
): AppError {
  if (err instanceof AppError) return err;
  const failure: KeyVaultFailure = typeof err === 'object' && err !== null ? err : {};
  const status = typeof failure.statusCode === 'number' && failure.statusCode > 0 ? failure.statusCode : undefined;
  const code = typeof failure.code === 'string' ? failure.code : undefined;
  const options = { upstreamStatus: status, upstreamCode: code };
  const detail = status ? ` (${status}${code ? ` ${code}` : ''})` : '';
  if (status === undefined) {
    if (failure.name === 'CredentialUnavailableError')
      return new AppError(
        'CONFIG',
        `${what}: no Azure credential is available to reach Key Vault (managed identity not configured?)`,
        options,
      );
    // Network failures carry no status; their message names the host or the socket error, never a value.
    return new AppError(
      'TRANSIENT',
      `${what}: Key Vault could not be reached${failure.message ? `: ${failure.message.split('\n')[0]}` : ''}`,
      options,
    );
  }
  if (status === 404) return new AppError('NOT_FOUND', `${what} does not exist in Key Vault`, options);
  if (status === 401 || status === 403) {
    return new AppError(
      'CONFIG',
      `${what}: Key Vault denied access${detail}; give the identity ${roles}, and check the item is enabled`,
      options,
    );
  }
  if (status === 409) return new AppError('CONFLICT', `${what}: Key Vault reports a conflict${detail}`, options);
  if (status === 408 || status === 429 || status >= 500)
    return new AppError('TRANSIENT', `${what}: Key Vault is unavailable${detail}`, options);
  return new AppError('CONFIG', `${what}: Key Vault refused the request${detail}`, options);
}
