import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { deleteTenant } from '../../../../shared/admin/tenantHandlers';
import { hashPbxKey } from '../../../../shared/pbxApi/pbxKeys';
import { rotatePbxKey } from '../../../../shared/pbxApi/rotatePbxKey';
import { createTestServices } from '../../../support/testServices';
import { freshStores, rejection, tenantConfig } from './storeTestTables';

const hash = (n: number) => n.toString(16).padStart(64, '0');

describe('TablePbxKeyStore (Azurite)', () => {
  it('stores only the hash, finds a key by it, and lists a tenant’s keys oldest first without hashes', async () => {
    const stores = await freshStores();
    await stores.pbxKeys.add({ tenantId: 'acme', keyId: '00000000000000b2', createdAt: '2026-01-02T00:00:00.000Z', hash: hash(2) });
    await stores.pbxKeys.add({ tenantId: 'acme', keyId: '00000000000000a1', createdAt: '2026-01-01T00:00:00.000Z', hash: hash(1) });
    await stores.pbxKeys.add({ tenantId: 'other', keyId: '00000000000000c3', createdAt: '2026-01-01T00:00:00.000Z', hash: hash(3) });
    const found = await stores.pbxKeys.findByHash(hash(2));
    expect(found).toMatchObject({ tenantId: 'acme', keyId: '00000000000000b2', hash: hash(2), requestedAt: {} });
    expect(found?.etag).toMatch(/^W\//);
    expect(await stores.pbxKeys.findByHash(hash(9))).toBeNull();
    const listed = await stores.pbxKeys.listForTenant('acme');
    expect(listed.map((k) => k.keyId)).toEqual(['00000000000000a1', '00000000000000b2']);
    expect(JSON.stringify(listed)).not.toContain(hash(1));
    await rejection(
      stores.pbxKeys.add({ tenantId: 'x', keyId: '00000000000000d4', createdAt: '2026-01-01T00:00:00.000Z', hash: hash(1) }),
      'CONFLICT',
    );
  });

  it('rotation keeps exactly one previous key; a second rotation revokes it', async () => {
    const stores = await freshStores();
    const first = await rotatePbxKey(stores.pbxKeys, 'acme', new Date('2026-01-01T00:00:00Z'));
    const second = await rotatePbxKey(stores.pbxKeys, 'acme', new Date('2026-01-02T00:00:00Z'));
    expect(await stores.pbxKeys.findByHash(hashPbxKey(first.key))).not.toBeNull();
    expect(await stores.pbxKeys.findByHash(hashPbxKey(second.key))).not.toBeNull();
    const third = await rotatePbxKey(stores.pbxKeys, 'acme', new Date('2026-01-03T00:00:00Z'));
    expect(third.revokedKeyIds).toEqual([first.keyId]);
    expect(await stores.pbxKeys.findByHash(hashPbxKey(first.key))).toBeNull();
    expect((await stores.pbxKeys.listForTenant('acme')).map((k) => k.keyId)).toEqual([second.keyId, third.keyId]);
    // Nothing in the table holds a key.
    const rows: unknown[] = [];
    for await (const row of stores.rawTable('pbxkeys').listEntities()) rows.push(row);
    expect(rows).toHaveLength(2);
    for (const issued of [first, second, third]) expect(JSON.stringify(rows)).not.toContain(issued.key.slice(5));
  });

  it('revokes one key by id (false for an unknown id or another tenant’s), and all of a tenant’s keys', async () => {
    const stores = await freshStores();
    const a = await rotatePbxKey(stores.pbxKeys, 'acme');
    await rotatePbxKey(stores.pbxKeys, 'acme');
    const b = await rotatePbxKey(stores.pbxKeys, 'other');
    expect(await stores.pbxKeys.remove('other', a.keyId)).toBe(false);
    expect(await stores.pbxKeys.remove('acme', 'ffffffffffffffff')).toBe(false);
    expect(await stores.pbxKeys.remove('acme', a.keyId)).toBe(true);
    expect(await stores.pbxKeys.findByHash(hashPbxKey(a.key))).toBeNull();
    expect(await stores.pbxKeys.removeAllForTenant('acme')).toBe(1);
    expect(await stores.pbxKeys.listForTenant('acme')).toEqual([]);
    expect(await stores.pbxKeys.findByHash(hashPbxKey(b.key))).not.toBeNull();
  });

  it('updates conditionally: changed with a stale ETag, gone (never recreated) once revoked', async () => {
    const stores = await freshStores();
    const issued = await rotatePbxKey(stores.pbxKeys, 'acme');
    const h = hashPbxKey(issued.key);
    const read = (await stores.pbxKeys.findByHash(h))!;
    const first = await stores.pbxKeys.update(h, { requestedAt: { sync: '2026-01-01T00:00:00.000Z' } }, read.etag);
    expect(first.outcome).toBe('updated');
    expect(await stores.pbxKeys.update(h, { requestedAt: { sync: '2026-01-01T00:01:00.000Z' } }, read.etag)).toEqual({
      outcome: 'changed',
    });
    expect((await stores.pbxKeys.update(h, { lastUsedAt: '2026-01-01T00:00:00.000Z' })).outcome).toBe('updated');
    expect(await stores.pbxKeys.findByHash(h)).toMatchObject({
      lastUsedAt: '2026-01-01T00:00:00.000Z',
      requestedAt: { sync: '2026-01-01T00:00:00.000Z' },
    });
    await stores.pbxKeys.remove('acme', issued.keyId);
    expect(await stores.pbxKeys.update(h, { lastUsedAt: '2026-01-01T01:00:00.000Z' })).toEqual({ outcome: 'gone' });
    expect(await stores.pbxKeys.findByHash(h)).toBeNull();
  });

  it('deleting a tenant removes its PBX keys (and only its own)', async () => {
    const services = await createTestServices();
    await services.tenants.create('doomed', tenantConfig());
    await services.tenants.create('kept', tenantConfig());
    const doomed = await rotatePbxKey(services.pbxKeys, 'doomed');
    await rotatePbxKey(services.pbxKeys, 'doomed');
    const kept = await rotatePbxKey(services.pbxKeys, 'kept');
    const request = new HttpRequest({ method: 'DELETE', url: 'http://localhost/api/tenants/doomed', params: { id: 'doomed' } });
    expect((await deleteTenant(services, request)).status).toBe(204);
    expect(await services.pbxKeys.listForTenant('doomed')).toEqual([]);
    expect(await services.pbxKeys.findByHash(hashPbxKey(doomed.key))).toBeNull();
    expect(await services.pbxKeys.findByHash(hashPbxKey(kept.key))).not.toBeNull();
  });
});
