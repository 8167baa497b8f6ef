import { describe, expect, it } from 'vitest';
import { freshStores, rejection } from './storeTestTables';

const pending = { epoch: '0a0b0c0d', generation: 1, pending: true, pendingSince: '2026-12-01T10:00:00.000Z' };

describe('TableDeltaDemandStore', () => {
  it('creates a row once, and reads it back with its ETag', async () => {
    const { deltaDemand } = await freshStores();
    expect(await deltaDemand.get('contoso', 'users')).toBeNull();
    const created = await deltaDemand.write('contoso', 'users', null, pending);
    expect(created).toEqual({ ...pending, etag: expect.any(String) });
    expect(await deltaDemand.get('contoso', 'users')).toEqual(created);
    // A second creator loses: the row exists.
    expect(await deltaDemand.write('contoso', 'users', null, { ...pending, epoch: 'ffffffff' })).toBeNull();
    expect(await deltaDemand.get('contoso', 'users')).toEqual(created);
  });

  it('replaces only with the ETag that was read; a cleared pendingSince is gone', async () => {
    const { deltaDemand } = await freshStores();
    const created = (await deltaDemand.write('contoso', 'users', null, pending))!;
    const cleared = await deltaDemand.write('contoso', 'users', created, { epoch: '0a0b0c0d', generation: 1, pending: false });
    expect(cleared).toEqual({ epoch: '0a0b0c0d', generation: 1, pending: false, etag: expect.any(String) });
    expect(cleared!.etag).not.toBe(created.etag);
    // A writer still holding the old ETag loses.
    expect(await deltaDemand.write('contoso', 'users', created, { ...pending, generation: 2 })).toBeNull();
    expect(await deltaDemand.get('contoso', 'users')).toEqual(cleared);
  });

  it('of ten writers racing from one read, exactly one wins', async () => {
    const { deltaDemand } = await freshStores();
    const read = (await deltaDemand.write('contoso', 'users', null, { ...pending, pending: false }))!;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        deltaDemand.write('contoso', 'users', read, { ...pending, generation: 2, pendingSince: `2026-12-01T10:00:0${i}.000Z` }),
      ),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('keeps tenants and features apart', async () => {
    const { deltaDemand } = await freshStores();
    await deltaDemand.write('contoso', 'users', null, pending);
    expect(await deltaDemand.get('fabrikam', 'users')).toBeNull();
    expect(await deltaDemand.get('contoso', 'echo')).toBeNull();
  });

  it('a row that no longer matches its schema is an error, not a guess', async () => {
    const { deltaDemand, rawTable } = await freshStores();
    await rawTable('deltademand').createEntity({ partitionKey: 'contoso', rowKey: 'users', epoch: 'nope', generation: 'x', pending: true });
    await rejection(deltaDemand.get('contoso', 'users'), 'INTERNAL');
  });
});
