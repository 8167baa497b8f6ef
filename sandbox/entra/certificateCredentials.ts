import { createHash, type KeyObject, randomUUID, X509Certificate } from 'node:crypto';

/** A certificate registered on an application, as Entra keeps it (the DER and its public key included). */
export interface StoredCertificate {
  keyId: string;
  displayName: string;
  /** Upper-case hex SHA-1 thumbprint, as Graph shows it for certificates added through the portal or addKey. */
  customKeyIdentifier: string;
  startDateTime: string;
  endDateTime: string;
  der: Buffer;
  publicKey: KeyObject;
  /** base64url SHA-1 / SHA-256 of the DER: the `x5t` / `x5t#S256` JWT headers that name this key. */
  x5t: string;
  x5tS256: string;
}

/** A keyCredential as Graph returns it: the certificate itself is never given back (`key` null). */
export interface KeyCredentialView {
  customKeyIdentifier: string;
  displayName: string;
  endDateTime: string;
  key: null;
  keyId: string;
  startDateTime: string;
  type: 'AsymmetricX509Cert';
  usage: 'Verify';
}

/** Reads a DER buffer or a PEM string / buffer; throws with a readable message when it is not a certificate. */
export function readCertificate(derOrPem: Buffer | string): X509Certificate {
  try {
    return new X509Certificate(derOrPem);
  } catch (err) {
    throw new Error(`not an X.509 certificate: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** The keyCredential Entra records for an uploaded certificate: its dates are the certificate's validity. */
export function storedCertificate(certificate: X509Certificate, displayName?: string): StoredCertificate {
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') throw new Error('only RSA certificates are modelled');
  const der = certificate.raw;
  return {
    keyId: randomUUID(),
    // The portal names an uploaded certificate after its subject.
    displayName: displayName ?? certificate.subject.replace(/\n/g, ', '),
    customKeyIdentifier: certificate.fingerprint.replace(/:/g, '').toUpperCase(),
    startDateTime: new Date(certificate.validFrom).toISOString(),
    endDateTime: new Date(certificate.validTo).toISOString(),
    der,
    publicKey: certificate.publicKey,
    x5t: createHash('sha1').update(der).digest('base64url'),
    x5tS256: createHash('sha256').update(der).digest('base64url'),
  };
}

/** Usable now: inside its keyCredential dates (which are the certificate's own validity). */
export function certificateIsValid(certificate: StoredCertificate, now: number): boolean {
  return Date.parse(certificate.startDateTime) <= now && now <= Date.parse(certificate.endDateTime);
}

export function keyCredentialView(certificate: StoredCertificate): KeyCredentialView {
  return {
    // Graph types customKeyIdentifier as binary, so JSON carries the thumbprint's bytes in base64.
    customKeyIdentifier: Buffer.from(certificate.customKeyIdentifier, 'hex').toString('base64'),
    displayName: certificate.displayName,
    endDateTime: certificate.endDateTime,
    key: null,
    keyId: certificate.keyId,
    startDateTime: certificate.startDateTime,
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
  };
}
