import { describe, expect, it } from 'vitest';
import { keyMatchesThumbprint } from '../../../shared/credentials/keyMatchesThumbprint';

const thumbprint = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';

describe('keyMatchesThumbprint', () => {
  it('matches the raw SHA-1 in base64, its hex text in base64, and the hex itself', () => {
    expect(keyMatchesThumbprint({ keyId: 'k', customKeyIdentifier: Buffer.from(thumbprint, 'hex').toString('base64') }, thumbprint)).toBe(
      true,
    );
    expect(keyMatchesThumbprint({ keyId: 'k', customKeyIdentifier: Buffer.from(thumbprint).toString('base64') }, thumbprint)).toBe(true);
    expect(keyMatchesThumbprint({ keyId: 'k', customKeyIdentifier: thumbprint.toLowerCase() }, thumbprint)).toBe(true);
  });

  it('does not match another certificate or a key without an identifier', () => {
    const other = 'FFB2C3D4E5F60718293A4B5C6D7E8F9012345678';
    expect(keyMatchesThumbprint({ keyId: 'k', customKeyIdentifier: Buffer.from(other, 'hex').toString('base64') }, thumbprint)).toBe(false);
    expect(keyMatchesThumbprint({ keyId: 'k' }, thumbprint)).toBe(false);
  });
});
