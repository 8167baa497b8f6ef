import { createDecipheriv } from 'node:crypto';
import { AppError } from '../../core/errors/AppError';
import { type PortalPasswordBinding, portalPasswordAad } from './portalPasswordAad';
import { type SealedPortalPassword } from './sealPortalPassword';

const TAG_BYTES = 16;
const IV_BYTES = 12;

/**
 * Decrypts what sealPortalPassword made. A value sealed for another tenant, user or key version, or changed in any
 * way, fails GCM's check: AppError INTERNAL (the row was edited or moved; the message never holds the value).
 */
export function openPortalPassword(dataKey: Buffer, binding: PortalPasswordBinding, sealed: SealedPortalPassword): string {
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  const refused = () =>
    new AppError(
      'INTERNAL',
      `the kept portal password of ${binding.userName} (tenant ${binding.tenantId}) cannot be decrypted: ` +
        'the row was changed, or copied from another user or tenant',
    );
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw refused();
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(portalPasswordAad(binding));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw refused();
  }
}
