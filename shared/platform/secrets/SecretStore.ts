/** What the store tells about a secret without its value. */
export interface SecretInfo {
  /** When its current value was written, where the store knows it (Key Vault does; the local file does not). */
  updatedOn?: Date | undefined;
  /** When the value stops being valid, if it was written with an expiry (e.g. an Entra client secret's end date). */
  expiresOn?: Date | undefined;
}

export interface SetSecretOptions {
  /**
   * When the value stops being valid, kept beside it (Key Vault: the secret's `exp` attribute, whole seconds) so
   * the status page can warn before a client secret expires. A write without it clears an earlier expiry.
   */
  expiresOn?: Date | undefined;
}

/**
 * Port: named secrets (Key Vault in Azure, a local file for local runs). Values never reach logs or errors.
 * Tenant secrets are named by the connector (tenantSecretNames.ts), never by a tenant configuration.
 */
export interface SecretStore {
  /** The secret's value; AppError NOT_FOUND when it does not exist. */
  getSecret(name: string): Promise<string>;
  /** Writes the value; a name freed by deleteSecret can be written again at once (Key Vault's soft delete included). */
  setSecret(name: string, value: string, options?: SetSecretOptions): Promise<void>;
  /** Removes the secret; no error when it does not exist. */
  deleteSecret(name: string): Promise<void>;
  /** Whether the secret exists (undefined when not), when it was written and when it expires, without its value. */
  describeSecret(name: string): Promise<SecretInfo | undefined>;
  /**
   * A certificate with its private key, as PEM (key + certificate chain). Key Vault keeps the private key
   * in the certificate's backing secret. AppError NOT_FOUND when it does not exist.
   */
  getCertificatePem(name: string): Promise<string>;
}
