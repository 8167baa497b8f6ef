import { describe, expect, it } from 'vitest';
import { freshStores, rejection } from './storeTestTables';

const wrapped = (n: number) => ({ wrappedKey: `wrapped-${n}`, keyId: `https://vault.example/keys/k/${String(n).padStart(32, '0')}` });
const createdAt = '2027-01-01T00:00:00.000Z';

describe('TableTenantDataKeyStore', () => {
  it('creates versions if absent, lists them oldest first, and answers null to a second create of a version', async () => {
    const { tenantDataKeys } = await freshStores();
    expect(await tenantDataKeys.list('acme')).toEqual([]);
    const v1 = await tenantDataKeys.create({ tenantId: 'acme', version: 1, ...wrapped(1), createdAt });
    expect(v1?.etag).toBeTruthy();
    expect(await tenantDataKeys.create({ tenantId: 'acme', version: 1, ...wrapped(9), createdAt })).toBeNull();
    await tenantDataKeys.create({ tenantId: 'acme', version: 10, ...wrapped(10), createdAt });
    await tenantDataKeys.create({ tenantId: 'acme', version: 2, ...wrapped(2), createdAt });
    const listed = await tenantDataKeys.list('acme');
    expect(listed.map((k) => k.version)).toEqual([1, 2, 10]);
    expect(listed[0]).toEqual(v1);
    expect(await tenantDataKeys.list('other')).toEqual([]);
  });

  it('re-wraps conditionally: a stale etag is PRECONDITION_FAILED and changes nothing', async () => {
    const { tenantDataKeys } = await freshStores();
    const v1 = (await tenantDataKeys.create({ tenantId: 'acme', version: 1, ...wrapped(1), createdAt }))!;
    const rewrapped = await tenantDataKeys.rewrap(v1, wrapped(2));
    expect(rewrapped.keyId).toBe(wrapped(2).keyId);
    await rejection(tenantDataKeys.rewrap(v1, wrapped(3)), 'PRECONDITION_FAILED');
    expect((await tenantDataKeys.list('acme'))[0]).toEqual(rewrapped);
  });

  it('pages through every tenant’s keys not wrapped with a key id, resumably', async () => {
    const { tenantDataKeys } = await freshStores();
    for (const tenantId of ['a', 'b', 'c']) await tenantDataKeys.create({ tenantId, version: 1, ...wrapped(1), createdAt });
    await tenantDataKeys.create({ tenantId: 'b', version: 2, ...wrapped(2), createdAt });
    const first = await tenantDataKeys.pageNotWrappedWith(wrapped(2).keyId, { pageSize: 2 });
    expect(first.keys.map((k) => `${k.tenantId}/${k.version}`)).toEqual(['a/1', 'b/1']);
    expect(first.continuationToken).toBeTruthy();
    const second = await tenantDataKeys.pageNotWrappedWith(wrapped(2).keyId, { pageSize: 2, continuationToken: first.continuationToken });
    expect(second.keys.map((k) => `${k.tenantId}/${k.version}`)).toEqual(['c/1']);
    expect(second.continuationToken).toBeUndefined();
  });

  it('deletes one version or all of a tenant, idempotently; refuses bad versions and tenant ids', async () => {
    const { tenantDataKeys, rawTable } = await freshStores();
    for (const version of [1, 2]) await tenantDataKeys.create({ tenantId: 'acme', version, ...wrapped(version), createdAt });
    await tenantDataKeys.create({ tenantId: 'other', version: 1, ...wrapped(1), createdAt });
    await tenantDataKeys.delete('acme', 1);
    await tenantDataKeys.delete('acme', 1);
    expect((await tenantDataKeys.list('acme')).map((k) => k.version)).toEqual([2]);
    await tenantDataKeys.deleteAll('acme');
    await tenantDataKeys.deleteAll('acme');
    expect(await tenantDataKeys.list('acme')).toEqual([]);
    expect(await tenantDataKeys.list('other')).toHaveLength(1);
    await rejection(tenantDataKeys.create({ tenantId: 'acme', version: 0, ...wrapped(0), createdAt }), 'INVALID');
    await rejection(tenantDataKeys.list('a/b'), 'INVALID');
    await rawTable('tenantdatakeys').createEntity({ partitionKey: 'bad', rowKey: '0000000001', wrappedKey: '', keyId: 'x', createdAt });
    await rejection(tenantDataKeys.list('bad'), 'INTERNAL');
  });
});
