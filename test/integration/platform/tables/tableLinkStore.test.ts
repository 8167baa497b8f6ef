import { type TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/core/errors/AppError';
import { type LinkStore, type LinkWriteResult, type UserLink } from '../../../../shared/engine/LinkStore';
import { TableLinkStore } from '../../../../shared/platform/tables/TableLinkStore';
import { freshStores, rejection } from './storeTestTables';

const objectId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

const link = (tenantId: string, i: number, extra: Partial<UserLink> = {}): UserLink => ({
  tenantId,
  objectId: objectId(i),
  state: 'active',
  origin: 'created',
  pbxUserId: `pbx-${i}`,
  pbxUserName: `user${i}`,
  extensionNumber: String(1000 + i),
  fields: {
    displayName: `User ${i}`,
    email: `user${i}@contoso.example`,
    mobilePhone: '',
    workPhone: '+1 425 555 0100',
    department: 'Sales',
    enabled: true,
  },
  hash: `hash-${i}`,
  boundToMicrosoft365: true,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

async function createMany(store: Pick<LinkStore, 'create'>, links: UserLink[]): Promise<void> {
  for (let i = 0; i < links.length; i += 50) await Promise.all(links.slice(i, i + 50).map((l) => store.create(l)));
}

/** A link as read back: the same columns plus the ETag of the stored version. */
const stored = (l: UserLink) => ({ ...l, etag: expect.any(String) as unknown as string });
const codeOf = (result: LinkWriteResult | undefined) => (result?.ok === false ? result.error.code : 'ok');

describe('TableLinkStore', () => {
  it('round-trips a link with its ETag and replaces it whole on update (cleared fields clear)', async () => {
    const { links } = await freshStores();
    expect(await links.get('acme', objectId(1))).toBeNull();
    const created = await links.create(link('acme', 1));
    expect(created.etag).toEqual(expect.any(String));
    expect(await links.get('acme', objectId(1))).toEqual(created);
    const creating: UserLink = {
      tenantId: 'acme',
      objectId: objectId(1),
      state: 'creating',
      origin: 'created',
      pbxUserName: 'user1',
      extensionNumber: '0101',
      boundToMicrosoft365: false,
      updatedAt: '2026-01-02T00:00:00.000Z',
    };
    const updated = await links.update({ ...creating, etag: created.etag });
    expect(updated.etag).not.toBe(created.etag);
    expect(await links.get('acme', objectId(1))).toEqual(stored(creating));
  });

  it('deletes idempotently', async () => {
    const { links } = await freshStores();
    await links.create(link('acme', 1));
    await links.delete('acme', objectId(1));
    await links.delete('acme', objectId(1));
    expect(await links.get('acme', objectId(1))).toBeNull();
  });

  it('lists every link of a tenant over more than one page (1,000 rows), and nothing else', async () => {
    const { links, rawTable } = await freshStores();
    const acme = Array.from({ length: 1234 }, (_, i) => link('acme', i));
    await createMany(links, acme);
    await createMany(links, [link('acme2', 1), link('beta', 2)]);
    // Another kind of row in the same partition is not a user link.
    await rawTable('links').createEntity({ partitionKey: 'acme', rowKey: 'group_1', name: 'not a user' });
    const listed = await links.listByTenant('acme');
    expect(listed).toHaveLength(1234);
    expect(new Set(listed.map((l) => l.objectId))).toEqual(new Set(acme.map((l) => l.objectId)));
    expect(listed.find((l) => l.objectId === objectId(777))).toEqual(stored(acme[777]!));
    expect(await links.listByTenant('nobody')).toEqual([]);
  });

  it('deletes all links of one tenant in transactions, leaving other tenants alone', async () => {
    const { links } = await freshStores();
    await createMany(
      links,
      Array.from({ length: 250 }, (_, i) => link('acme', i)),
    );
    await createMany(links, [link('beta', 1)]);
    await links.deleteAllForTenant('acme');
    expect(await links.listByTenant('acme')).toEqual([]);
    expect(await links.listByTenant('beta')).toEqual([stored(link('beta', 1))]);
    await links.deleteAllForTenant('acme');
  });

  it('still deletes everything when a link vanishes between listing and its transaction', async () => {
    const { rawTable } = await freshStores();
    const table = rawTable('links');
    const store = new TableLinkStore(table);
    await createMany(
      store,
      Array.from({ length: 150 }, (_, i) => link('acme', i)),
    );
    const submit = table.submitTransaction.bind(table);
    let intercepted = false;
    table.submitTransaction = async (actions) => {
      if (!intercepted) {
        intercepted = true;
        await table.deleteEntity('acme', `user_${objectId(42)}`);
      }
      return submit(actions);
    };
    await store.deleteAllForTenant('acme');
    expect(intercepted).toBe(true);
    expect(await store.listByTenant('acme')).toEqual([]);
  });

  it('reports an unreadable stored link as INTERNAL, naming the bad columns; deleteAll still removes it', async () => {
    const { links, rawTable } = await freshStores();
    const table: TableClient = rawTable('links');
    await table.createEntity({
      partitionKey: 'acme',
      rowKey: `user_${objectId(1)}`,
      state: 'floating',
      origin: 'created',
      pbxUserName: 'u',
      extensionNumber: '1001',
      fields: '{"displayName":1}',
      boundToMicrosoft365: true,
      updatedAt: 'x',
    });
    const err = await rejection(links.get('acme', objectId(1)), 'INTERNAL');
    expect(err.message).toContain('state');
    expect(err.message).toContain('fields.displayName');
    await rejection(links.listByTenant('acme'), 'INTERNAL');
    await links.deleteAllForTenant('acme');
    expect(await links.listByTenant('acme')).toEqual([]);
  });

  it('creates only where no link exists: a second create is a CONFLICT and changes nothing', async () => {
    const { links } = await freshStores();
    const first = await links.create(link('acme', 1));
    await rejection(links.create(link('acme', 1, { pbxUserId: 'someone-else' })), 'CONFLICT');
    expect(await links.get('acme', objectId(1))).toEqual(first);
  });

  it('refuses an update or delete of a version it did not read (ETag mismatch, or deleted since)', async () => {
    const { links } = await freshStores();
    const v1 = await links.create(link('acme', 1));
    const v2 = await links.update({ ...v1, hash: 'second' });
    await rejection(links.update({ ...v1, hash: 'stale' }), 'PRECONDITION_FAILED');
    await rejection(links.delete('acme', objectId(1), v1.etag), 'PRECONDITION_FAILED');
    expect(await links.get('acme', objectId(1))).toEqual(v2);
    await rejection(links.update({ ...v2, etag: undefined }), 'INTERNAL'); // nothing to condition on: never a blind write
    await links.delete('acme', objectId(1), v2.etag);
    expect(await links.get('acme', objectId(1))).toBeNull();
    await rejection(links.update({ ...v2, hash: 'after the delete' }), 'PRECONDITION_FAILED');
    expect(await links.get('acme', objectId(1))).toBeNull(); // an update never brings a deleted link back
    await links.delete('acme', objectId(1), v2.etag); // already gone: not an error
  });

  it('writes many links in transactions of at most 100, each result carrying the new ETag', async () => {
    const { rawTable } = await freshStores();
    const table = rawTable('links');
    const store = new TableLinkStore(table);
    const sizes: number[] = [];
    const submit = table.submitTransaction.bind(table);
    table.submitTransaction = (actions) => {
      sizes.push(actions.length);
      return submit(actions);
    };
    const reservations = Array.from({ length: 250 }, (_, i) => link('acme', i, { state: 'creating' }));
    const created = await store.writeMany(
      'acme',
      reservations.map((l) => ({ kind: 'create', link: l })),
    );
    expect(sizes).toEqual([100, 100, 50]);
    expect(created.map(codeOf)).toEqual(reservations.map(() => 'ok'));
    const finals = created.map((r) => ({ kind: 'update' as const, link: { ...(r as { link: UserLink }).link, state: 'active' as const } }));
    const updated = await store.writeMany('acme', finals);
    expect(updated.map(codeOf)).toEqual(finals.map(() => 'ok'));
    const listed = await store.listByTenant('acme');
    expect(listed).toHaveLength(250);
    expect(listed.every((l) => l.state === 'active')).toBe(true);
    const etags = new Map(updated.map((r) => [(r as { link: UserLink }).link.objectId, (r as { link: UserLink }).link.etag]));
    for (const l of listed) expect(l.etag).toBe(etags.get(l.objectId));
  });

  it('refuses only the writes another writer got to first; the rest of the batch is written', async () => {
    const { links } = await freshStores();
    const [one, two, four, five] = await Promise.all([1, 2, 4, 5].map((i) => links.create(link('acme', i))));
    const theirs = await links.update({ ...two!, hash: 'written by another writer' });
    await links.delete('acme', objectId(4));
    const results = await links.writeMany('acme', [
      { kind: 'create', link: link('acme', 0) },
      { kind: 'create', link: link('acme', 1, { hash: 'mine' }) },
      { kind: 'update', link: { ...two!, hash: 'mine' } },
      { kind: 'create', link: link('acme', 3) },
      { kind: 'update', link: { ...four!, hash: 'mine' } },
      { kind: 'update', link: { ...five!, hash: 'mine' } },
    ]);
    expect(results.map(codeOf)).toEqual(['ok', 'CONFLICT', 'PRECONDITION_FAILED', 'ok', 'PRECONDITION_FAILED', 'ok']);
    expect(await links.get('acme', objectId(1))).toEqual(one);
    expect(await links.get('acme', objectId(2))).toEqual(theirs);
    expect(await links.get('acme', objectId(4))).toBeNull();
    expect((await links.get('acme', objectId(5)))?.hash).toBe('mine');
    expect(await links.get('acme', objectId(0))).toEqual(stored(link('acme', 0)));
  });

  it('writes one by one when a refused transaction does not name the operation, and reports outages per write', async () => {
    const { rawTable } = await freshStores();
    const table = rawTable('links');
    const store = new TableLinkStore(table);
    await store.create(link('acme', 1));
    const submit = table.submitTransaction.bind(table);
    const refusal = Object.assign(new Error('The specified entity already exists.'), { name: 'RestError', statusCode: 409 });
    table.submitTransaction = () => Promise.reject(refusal);
    const results = await store.writeMany('acme', [
      { kind: 'create', link: link('acme', 0) },
      { kind: 'create', link: link('acme', 1) },
    ]);
    expect(results.map(codeOf)).toEqual(['ok', 'CONFLICT']);
    expect(await store.get('acme', objectId(0))).toEqual(stored(link('acme', 0)));

    table.submitTransaction = () => Promise.reject(Object.assign(new Error('socket hang up'), { name: 'RestError' }));
    const unreachable = await store.writeMany('acme', [
      { kind: 'create', link: link('acme', 2) },
      { kind: 'create', link: link('acme', 3) },
    ]);
    expect(unreachable.map(codeOf)).toEqual(['TRANSIENT', 'TRANSIENT']);
    expect(unreachable.every((r) => !r.ok && r.error instanceof AppError)).toBe(true);
    table.submitTransaction = submit;
    expect(await store.get('acme', objectId(2))).toBeNull();
  });
});
