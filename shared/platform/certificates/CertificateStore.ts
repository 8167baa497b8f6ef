/** One version of a stored certificate: its public facts, never its key. */
export interface CertificateVersion {
  /** The store's id of this version (Key Vault: the version segment of the certificate id). */
  version: string;
  /** SHA-1 of the DER, upper-case hex (what Entra and the Azure portal show as the thumbprint). */
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
  createdOn: Date;
  /** A disabled version is never used to sign in. */
  enabled: boolean;
}

/** How the connector asks for its Graph client certificates. */
export interface CertificatePolicy {
  /** e.g. `CN=m365-pbx-connector contoso`. */
  subject: string;
  /** Validity of each version; 12 by default for the Graph certificate. */
  validityMonths: number;
  /** A new version is made when this share of a version's life has passed (Key Vault's AutoRenew lifetime action). */
  renewAtPercentOfLife: number;
  /** RSA modulus length, 2048 or more. */
  keySize: number;
}

/**
 * Port: certificates whose private key never leaves the store except to sign in (Key Vault certificates in
 * Azure, a local file for local runs). The store renews a certificate on its own at `renewAtPercentOfLife`
 * (a new version; the old one stays valid until it expires); the connector decides which version it signs in with.
 */
export interface CertificateStore {
  /** Creates the certificate's first version under `name` with `policy`; CONFLICT when the name is taken. */
  createCertificate(name: string, policy: CertificatePolicy): Promise<CertificateVersion>;
  /** Makes a new version now with the certificate's own policy (what auto-renew does); NOT_FOUND when absent. */
  renewCertificate(name: string): Promise<CertificateVersion>;
  /** Every version, newest first; NOT_FOUND when the certificate does not exist. */
  listVersions(name: string): Promise<CertificateVersion[]>;
  /** The DER (`.cer`) of one version; NOT_FOUND when absent. */
  getCertificateDer(name: string, version: string): Promise<Buffer>;
  /** One version's private key and certificate as PEM (Key Vault: read through the backing secret); NOT_FOUND when absent. */
  getPrivateKeyPem(name: string, version: string): Promise<string>;
  /** Removes the certificate and every version; no error when it does not exist. */
  deleteCertificate(name: string): Promise<void>;
}
