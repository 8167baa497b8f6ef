import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openPortalPassword } from '../../../shared/credentials/portalPasswords/openPortalPassword';
import { sealPortalPassword } from '../../../shared/credentials/portalPasswords/sealPortalPassword';
import { AppError } from '../../../shared/core/errors/AppError';

const PASSWORD = 'Pa55-wörd-for-1001';
const binding = { tenantId: 'contoso', userName: '1001', dataKeyVersion: 1 };

function refusalOf(open: () => string): AppError {
  try {
    open();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('INTERNAL');
    expect((err as AppError).message).not.toContain(PASSWORD);
    return err as AppError;
  }
  throw new Error('expected the sealed password not to open');
}

describe('portal password envelope (AES-256-GCM, AAD = tenant + user + key version)', () => {
  const key = randomBytes(32);

  it('opens what it sealed, and never holds the password in clear', () => {
    const sealed = sealPortalPassword(key, binding, PASSWORD);
    expect(JSON.stringify(sealed)).not.toContain(PASSWORD);
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('utf8')).not.toContain(PASSWORD);
    expect(openPortalPassword(key, binding, sealed)).toBe(PASSWORD);
  });

  it('uses a fresh IV per seal: the same password seals differently each time', () => {
    const a = sealPortalPassword(key, binding, PASSWORD);
    const b = sealPortalPassword(key, binding, PASSWORD);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('refuses a row moved to another user, another tenant or another key version', () => {
    const sealed = sealPortalPassword(key, binding, PASSWORD);
    refusalOf(() => openPortalPassword(key, { ...binding, userName: '1002' }, sealed));
    refusalOf(() => openPortalPassword(key, { ...binding, tenantId: 'fabrikam' }, sealed));
    refusalOf(() => openPortalPassword(key, { ...binding, dataKeyVersion: 2 }, sealed));
    // Ids that would read alike if the binding were joined with a separator.
    const joined = sealPortalPassword(key, { tenantId: 'a|b', userName: 'c', dataKeyVersion: 1 }, PASSWORD);
    refusalOf(() => openPortalPassword(key, { tenantId: 'a', userName: 'b|c', dataKeyVersion: 1 }, joined));
  });

  it('refuses a tampered ciphertext, tag or IV, and another key', () => {
    const sealed = sealPortalPassword(key, binding, PASSWORD);
    const flipped = (text: string) => {
      const bytes = Buffer.from(text, 'base64');
      bytes[0] = bytes[0]! ^ 0x01;
      return bytes.toString('base64');
    };
    const message = refusalOf(() => openPortalPassword(key, binding, { ...sealed, ciphertext: flipped(sealed.ciphertext) })).message;
    expect(message).toContain('1001');
    refusalOf(() => openPortalPassword(key, binding, { ...sealed, tag: flipped(sealed.tag) }));
    refusalOf(() => openPortalPassword(key, binding, { ...sealed, iv: flipped(sealed.iv) }));
    refusalOf(() => openPortalPassword(key, binding, { ...sealed, tag: sealed.tag.slice(0, 8) }));
    refusalOf(() => openPortalPassword(randomBytes(32), binding, sealed));
  });
});
