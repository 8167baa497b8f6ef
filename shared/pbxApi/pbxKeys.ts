import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every PBX key starts with this, so a leaked one is recognisable (secret scanners, logs, support tickets). */
export const PBX_KEY_PREFIX = 'pbxk_';

/** Random bytes per key: 256 bits, far beyond guessing. */
const KEY_BYTES = 32;

/** `pbxk_` and 32 bytes in base64url without padding (43 characters). */
const KEY_PATTERN = /^pbxk_[A-Za-z0-9_-]{43}$/;

/** A key id: public, shown in listings and used to revoke. */
export const PBX_KEY_ID_PATTERN = /^[0-9a-f]{16}$/;

const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** A new key (shown to the operator once) and its public id. */
export function generatePbxKey(): { key: string; keyId: string } {
  return { key: `${PBX_KEY_PREFIX}${randomBytes(KEY_BYTES).toString('base64url')}`, keyId: randomBytes(8).toString('hex') };
}

/** Whether a string has the shape of a PBX key (prefix, 43 base64url characters); says nothing about validity. */
export function looksLikePbxKey(text: string): boolean {
  return KEY_PATTERN.test(text);
}

/**
 * SHA-256 (hex) of a key: what is stored and looked up. A plain, unsalted SHA-256 is adequate here because
 * the key is 32 random bytes: recovering a key from its hash means searching 2^256 candidates, which no
 * amount of hashing speed makes feasible. Slow, salted password hashes (scrypt, Argon2) exist for
 * low-entropy secrets a person chose, where a fast hash would let a dictionary be tried; they would only
 * cost CPU on every request here. Being deterministic, the hash is also the lookup key (one point read).
 */
export function hashPbxKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Compares two key hashes in constant time (crypto.timingSafeEqual over the 32 digest bytes), so how long
 * a comparison takes says nothing about how many leading bytes matched. Anything that is not a SHA-256 hex
 * digest is unequal.
 */
export function pbxKeyHashesEqual(a: string, b: string): boolean {
  if (!HASH_PATTERN.test(a) || !HASH_PATTERN.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

/** How many keys a tenant may hold: the current one and the one it replaced (switch a PBX over without downtime). */
export const MAX_ACTIVE_PBX_KEYS = 2;

/**
 * Rotation: which of a tenant's keys to revoke once the new key `newKeyId` is stored. The new key (current)
 * and the newest of the others (previous) stay; every older key goes. Order is by creation time, then key
 * id, so rotations racing each other never revoke their own new key and the tenant converges on two keys.
 */
export function pbxKeysToRevoke<K extends { keyId: string; createdAt: string }>(keys: readonly K[], newKeyId: string): K[] {
  return newestFirst(keys.filter((k) => k.keyId !== newKeyId)).slice(MAX_ACTIVE_PBX_KEYS - 1);
}

/** Keys, newest first (creation time, then key id descending). */
export function newestFirst<K extends { keyId: string; createdAt: string }>(keys: readonly K[]): K[] {
  return [...keys].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.keyId.localeCompare(a.keyId));
}

/** Why a request's key could not even be looked up. */
export type KeyProblem = 'missing' | 'ambiguous' | 'malformed';

/** Longer header values are refused before any parsing (a key is 48 characters). */
const MAX_HEADER_LENGTH = 512;

/**
 * The key a request presents: `Authorization: Bearer <key>` (scheme case-insensitive) or `x-api-key: <key>`,
 * exactly one of them. Query strings are never read (URLs end up in logs and browser histories).
 */
export function presentedPbxKey(headers: { get(name: string): string | null }): { key: string } | { problem: KeyProblem } {
  const authorization = headers.get('authorization');
  const apiKey = headers.get('x-api-key');
  if (authorization === null && apiKey === null) return { problem: 'missing' };
  if (authorization !== null && apiKey !== null) return { problem: 'ambiguous' };
  const value = (authorization ?? apiKey)!;
  if (value.length > MAX_HEADER_LENGTH) return { problem: 'malformed' };
  let candidate = value.trim();
  if (authorization !== null) {
    const bearer = /^Bearer +(\S+)$/i.exec(candidate);
    if (!bearer) return { problem: 'malformed' };
    candidate = bearer[1]!;
  }
  return looksLikePbxKey(candidate) ? { key: candidate } : { problem: 'malformed' };
}
