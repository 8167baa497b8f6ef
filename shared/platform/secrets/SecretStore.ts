/**
 * Port: named secrets (Key Vault in Azure, a local file for local runs). Values never reach logs or errors.
 */
export interface SecretStore {
  /** The secret's value; AppError NOT_FOUND when it does not exist. */
  getSecret(name: string): Promise<string>;
  setSecret(name: string, value: string): Promise<void>;
  deleteSecret(name: string): Promise<void>;
  /**
   * A certificate with its private key, as PEM (key + certificate chain). Key Vault keeps the private key
   * in the certificate's backing secret. AppError NOT_FOUND when it does not exist.
   */
  getCertificatePem(name: string): Promise<string>;
}
