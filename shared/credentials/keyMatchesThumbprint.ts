import { type ApplicationKeyCredential } from './ApplicationKeys';

/**
 * Whether a key credential Graph lists is the certificate with this SHA-1 thumbprint. Graph sends the binary
 * customKeyIdentifier in base64; ⚠ whether its bytes are the raw SHA-1 or the hex text of it differs between
 * upload paths, so both readings are accepted (the hex form also when sent as is).
 */
export function keyMatchesThumbprint(key: ApplicationKeyCredential, thumbprint: string): boolean {
  const sent = key.customKeyIdentifier;
  if (!sent) return false;
  const wanted = thumbprint.toUpperCase();
  if (sent.toUpperCase() === wanted) return true;
  const bytes = Buffer.from(sent, 'base64');
  return bytes.toString('hex').toUpperCase() === wanted || bytes.toString('latin1').toUpperCase() === wanted;
}
