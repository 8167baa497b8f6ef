import { describe, expect, it } from 'vitest';
import { type PhotoState } from '../../../../shared/engine/PhotoStateStore';
import { freshStores } from './storeTestTables';

const state = (objectId: string, overrides: Partial<PhotoState> = {}): PhotoState => ({
  tenantId: 'acme',
  objectId,
  etag: 'W/"abc=="',
  imageHash: 'f'.repeat(64),
  updatedAt: '2026-12-01T10:00:00.000Z',
  ...overrides,
});

describe('TablePhotoStateStore', () => {
  it('round-trips states per tenant, keyed by the lower-case object id', async () => {
    const { photoStates } = await freshStores();
    await photoStates.put(state('AAAAAAAA-0000-4000-8000-000000000001'));
    await photoStates.put(state('bbbbbbbb-0000-4000-8000-000000000002', { etag: '', imageHash: '' }));
    await photoStates.put(state('cccccccc-0000-4000-8000-000000000003', { tenantId: 'beta' }));
    expect(await photoStates.listByTenant('acme')).toEqual([
      state('aaaaaaaa-0000-4000-8000-000000000001'),
      state('bbbbbbbb-0000-4000-8000-000000000002', { etag: '', imageHash: '' }),
    ]);
  });

  it('replaces, and deletes idempotently one state or a whole tenant', async () => {
    const { photoStates } = await freshStores();
    await photoStates.put(state('aaaaaaaa-0000-4000-8000-000000000001'));
    await photoStates.put(state('aaaaaaaa-0000-4000-8000-000000000001', { etag: 'W/"new"' }));
    expect((await photoStates.listByTenant('acme')).map((s) => s.etag)).toEqual(['W/"new"']);
    await photoStates.delete('acme', 'AAAAAAAA-0000-4000-8000-000000000001');
    await photoStates.delete('acme', 'aaaaaaaa-0000-4000-8000-000000000001');
    expect(await photoStates.listByTenant('acme')).toEqual([]);
    await photoStates.put(state('aaaaaaaa-0000-4000-8000-000000000001', { tenantId: 'beta' }));
    await photoStates.put(state('aaaaaaaa-0000-4000-8000-000000000001'));
    await photoStates.deleteAllForTenant('acme');
    expect(await photoStates.listByTenant('acme')).toEqual([]);
    expect(await photoStates.listByTenant('beta')).toHaveLength(1);
  });
});
