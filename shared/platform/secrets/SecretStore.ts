/** What the store tells about a secret without its value. */
export interface SecretInfo {
  /** When its current value was written, where the store knows it (Key Vault does; the local file does not). */
  updatedOn?: Date | undefined;
}

/**
 * Port: named secrets (Key Vault in Azure, a local file for local runs). Values never reach logs or errors.
 * Tenant secrets are named by the connector (tenantSecretNames.ts), never by a tenant configuration.
 */
export interface SecretStore {
  /** The secret's value; AppError NOT_FOUND when it does not exist. */
  getSecret(name: string): Promise<string>;
  /** Writes the value; a name freed by deleteSecret can be written again at once (Key Vault's soft delete included). */
  setSecret(name: string, value: string): Promise<void>;
  /** Removes the secret; no error when it does not exist. */
  deleteSecret(name: string): Promise<void>;
  /** Whether the secret exists (undefined when not) and when it was written, without returning its value. */
  describeSecret(name: string): Promise<SecretInfo | undefined>;
  /**
   * A certificate with its private key, as PEM (key + certificate chain). Key Vault keeps the private key
   * in the certificate's backing secret. AppError NOT_FOUND when it does not exist.
   */
  getCertificatePem(name: string): Promise<string>;
}
