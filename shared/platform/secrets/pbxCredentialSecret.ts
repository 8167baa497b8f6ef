import { z } from 'zod';
import { urlOrigin } from '../../config/isLoopbackUrl';

/**
 * The stored PBX credential (secret tenant-<id>-pbx): the admin's user name and password, the origin
 * (scheme://host[:port]) of the tenant's `pbx.baseUrl` it was written for, and when. The PBX adapter only
 * ever sends it to that origin: a changed URL needs the credential written again.
 */
export const StoredPbxCredentialSchema = z.object({
  username: z.string().min(1),
  password: z.string().min(1),
  origin: z.string().min(1),
  writtenAt: z.string().min(1),
});
export type StoredPbxCredential = z.infer<typeof StoredPbxCredentialSchema>;

/** The secret value for a credential written now for the PBX at `pbxBaseUrl`. */
export function pbxCredentialSecretValue(credential: { username: string; password: string }, pbxBaseUrl: string, now = new Date()): string {
  const stored: StoredPbxCredential = {
    username: credential.username,
    password: credential.password,
    origin: urlOrigin(pbxBaseUrl),
    writtenAt: now.toISOString(),
  };
  return JSON.stringify(stored);
}

/** The stored credential, or undefined when the text is not one (written by hand, or by an older release). */
export function parsePbxCredentialSecret(text: string): StoredPbxCredential | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text near the error: that could be the password, so the message is not kept.
    return undefined;
  }
  const parsed = StoredPbxCredentialSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
