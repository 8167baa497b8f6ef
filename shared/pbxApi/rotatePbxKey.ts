import { type PbxKeyRecord, type PbxKeyStore } from '../app/PbxKeyStore';
import { generatePbxKey, hashPbxKey, newestFirst, pbxKeysToRevoke } from './pbxKeys';

/**
 * A tenant's key as the admin API lists it: `current` is the newest, `previous` the one it replaced, `events`
 * the key the connector registered as the PBX's event-webhook token.
 */
export interface PbxKeyView {
  keyId: string;
  status: 'current' | 'previous' | 'events';
  createdAt: string;
  lastUsedAt: string | null;
}

export function pbxKeyViews(keys: readonly PbxKeyRecord[]): PbxKeyView[] {
  const view = (k: PbxKeyRecord, status: PbxKeyView['status']): PbxKeyView => ({
    keyId: k.keyId,
    status,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt ?? null,
  });
  return [
    ...newestFirst(keys.filter((k) => k.purpose !== 'events')).map((k, i) => view(k, i === 0 ? 'current' : 'previous')),
    ...keys.filter((k) => k.purpose === 'events').map((k) => view(k, 'events')),
  ];
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
  // The connector's own event-webhook key is not one of the operators' keys: rotating theirs leaves it.
  const keys = (await store.listForTenant(tenantId)).filter((k) => k.purpose !== 'events');
  const revoke = pbxKeysToRevoke(keys, keyId);
  for (const old of revoke) await store.remove(tenantId, old.keyId);
  const revokedKeyIds = revoke.map((k) => k.keyId);
  return { key, keyId, createdAt, kept: pbxKeyViews(keys.filter((k) => !revokedKeyIds.includes(k.keyId))), revokedKeyIds };
}
