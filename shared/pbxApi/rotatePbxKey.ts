import { type PbxKeyRecord, type PbxKeyStore } from '../app/PbxKeyStore';
import { generatePbxKey, hashPbxKey, newestFirst, pbxKeysToRevoke } from './pbxKeys';

/** A tenant's key as the admin API lists it: `current` is the newest, `previous` the one it replaced. */
export interface PbxKeyView {
  keyId: string;
  status: 'current' | 'previous';
  createdAt: string;
  lastUsedAt: string | null;
}

export function pbxKeyViews(keys: readonly PbxKeyRecord[]): PbxKeyView[] {
  return newestFirst(keys).map((k, i) => ({
    keyId: k.keyId,
    status: i === 0 ? 'current' : 'previous',
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt ?? null,
  }));
}

/**
 * Issues a new key for the tenant and rotates: the new key becomes current, the one that was current stays
 * valid as previous (so the PBX can be switched over without downtime), and every older key is revoked. The
 * new key is stored before anything is revoked, so there is no moment without a valid key. The key itself is
 * returned to be shown once; only its hash is stored.
 */
export async function rotatePbxKey(
  store: PbxKeyStore,
  tenantId: string,
  now: Date = new Date(),
): Promise<{ key: string; keyId: string; createdAt: string; kept: PbxKeyView[]; revokedKeyIds: string[] }> {
  const { key, keyId } = generatePbxKey();
  const createdAt = now.toISOString();
  await store.add({ tenantId, keyId, createdAt, hash: hashPbxKey(key) });
  const keys = await store.listForTenant(tenantId);
  const revoke = pbxKeysToRevoke(keys, keyId);
  for (const old of revoke) await store.remove(tenantId, old.keyId);
  const revokedKeyIds = revoke.map((k) => k.keyId);
  return { key, keyId, createdAt, kept: pbxKeyViews(keys.filter((k) => !revokedKeyIds.includes(k.keyId))), revokedKeyIds };
}
