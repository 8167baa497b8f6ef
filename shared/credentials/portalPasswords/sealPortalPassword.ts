import { createCipheriv, randomBytes } from 'node:crypto';
import { type PortalPasswordBinding, portalPasswordAad } from './portalPasswordAad';

/** AES-256-GCM output, base64: what a row keeps instead of the password. */
export interface SealedPortalPassword {
  ciphertext: string;
  /** 96 bits, random per seal (never reused under one key: 2^32 seals per data key stay far below the risk). */
  iv: string;
  /** The 128-bit GCM tag. */
  tag: string;
}

/** Encrypts a portal password under a tenant's 256-bit data key, bound to its tenant, user and key version. */
export function sealPortalPassword(dataKey: Buffer, binding: PortalPasswordBinding, password: string): SealedPortalPassword {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(portalPasswordAad(binding));
  const ciphertext = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
  return { ciphertext: ciphertext.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}
