// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { createHash, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface SelfSignedCertificateRequest {
  /** Distinguished name, e.g. `CN=m365-pbx-connector contoso`. */
  subject: string;
  notBefore: Date;
  notAfter: Date;
  /** RSA modulus length; Entra accepts 2048 and more. Default 2048. */
  keySize?: number;
  /** For TLS server certificates (the local stand-ins): DNS names and IP addresses in subjectAltName. */
  dnsNames?: string[];
  ipAddresses?: string[];
}

export interface SelfSignedCertificate {
  /** PEM of the certificate alone (the public part an admin uploads). */
  certificatePem: string;
  /** PKCS#8 PEM of the RSA private key. */
  privateKeyPem: string;
  /** DER bytes of the certificate (`.cer`). */
  der: Buffer;
  /** SHA-1 of the DER, upper-case hex: the thumbprint Entra and Key Vault show. */
  thumbprint: string;
}

/**
 * A self-signed RSA certificate (SHA-256 signature). node:crypto reads certificates but cannot make them, so
 * the connector's local certificate store and the local HTTPS stand-ins build theirs here.
 */
export async function createSelfSignedCertificate(request: SelfSignedCertificateRequest): Promise<SelfSignedCertificate> {
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: request.keySize ?? 2048,
  };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const alternativeNames = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  if (alternativeNames.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(alternativeNames));
  extensions.push(
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(
      alternativeNames.length > 0 ? [x509.ExtendedKeyUsage.serverAuth] : [x509.ExtendedKeyUsage.clientAuth],
      false,
    ),
  );
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: createHash('sha256')
      .update(webcrypto.getRandomValues(new Uint8Array(16)))
      .digest('hex')
      .slice(0, 30),
    name: request.subject,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    keys,
    signingAlgorithm: algorithm,
    extensions,
  });
  const der = Buffer.from(certificate.rawData);
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----\n`;
  const certificatePem = new X509Certificate(der).toString();
  return { certificatePem, privateKeyPem, der, thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase() };
}
