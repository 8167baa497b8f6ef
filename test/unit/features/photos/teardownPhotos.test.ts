import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/core/errors/AppError';
import { type LinkedUser } from '../../../../shared/engine/LinkedUsers';
import { type PhotoState } from '../../../../shared/engine/PhotoStateStore';
import { type FeatureContext, type FeatureTeardownRequest } from '../../../../shared/features/Feature';
import { type PhotoSyncOptions } from '../../../../shared/features/photos/photosOptions';
import { photoTeardownStep, teardownPhotos } from '../../../../shared/features/photos/teardownPhotos';
import { type PbxAvatars } from '../../../../shared/pbx/ports/PbxAvatars';
import { Logger } from '../../../../shared/core/logging/Logger';

describe('photoTeardownStep', () => {
  it('removes a picture the connector set only when it can, else hands it over', () => {
    expect(photoTeardownStep({ imageHash: 'ab12' }, true)).toBe('delete');
    expect(photoTeardownStep({ imageHash: 'ab12' }, false)).toBe('handOver');
  });

  it('only forgets a state recording that the connector set no picture', () => {
    expect(photoTeardownStep({ imageHash: '' }, true)).toBe('forget');
    expect(photoTeardownStep({ imageHash: '' }, false)).toBe('forget');
  });
});

const TENANT = 't1';
const state = (objectId: string, imageHash = 'ab12'): PhotoState => ({
  tenantId: TENANT,
  objectId,
  etag: 'e1',
  imageHash,
  updatedAt: '2026-01-01T00:00:00.000Z',
});
const user = (objectId: string, origin: LinkedUser['origin'] = 'created'): LinkedUser => ({
  objectId,
  pbxUserId: `pbx-${objectId}`,
  extensionNumber: '100',
  pbxUserName: `name-${objectId}`,
  origin,
});

/** A context over in-memory photo states and linked users; `refuse` makes removing a user's picture fail. */
function contextWith(states: PhotoState[], users: LinkedUser[], refuse: (pbxUserId: string) => Error | undefined = () => undefined) {
  const kept = new Map(states.map((s) => [s.objectId, s]));
  const removed: string[] = [];
  const avatars: PbxAvatars = {
    setAvatar: async () => {},
    removeAvatar: async (owner) => {
      const err = refuse(owner.id);
      if (err) throw err;
      removed.push(owner.id);
    },
  };
  const context = {
    tenantId: TENANT,
    options: { enabled: true, concurrency: 4 },
    photoStates: {
      listByTenant: async () => [...kept.values()],
      put: async () => {},
      delete: async (_t: string, objectId: string) => void kept.delete(objectId),
      deleteAllForTenant: async () => kept.clear(),
    },
    linkedUsers: { get: async (id: string) => users.find((u) => u.objectId === id), list: async () => users },
    pbxAvatars: avatars,
    manageUserPasswords: false,
    log: Logger.silent(),
  } as unknown as FeatureContext<PhotoSyncOptions>;
  return { context, kept, removed };
}

const asked = (pbxRecords: FeatureTeardownRequest['pbxRecords'], dryRun = false): FeatureTeardownRequest => ({ pbxRecords, dryRun });

describe('teardownPhotos', () => {
  it('removes the pictures it set, forgets a state without one, and hands over what it cannot reach', async () => {
    const w = contextWith(
      [state('a'), state('b', ''), state('adopted'), state('gone')],
      [user('a'), user('b'), user('adopted', 'adopted')],
    );
    const preview = await teardownPhotos(w.context, asked('delete', true));
    expect(preview).toMatchObject({ deleted: 1, handedOver: 2, failed: 0 });
    expect(w.kept.size).toBe(4);
    expect(w.removed).toEqual([]);

    const result = await teardownPhotos(w.context, asked('delete'));
    expect(result).toMatchObject({ deleted: 1, handedOver: 2, failed: 0 });
    expect(w.removed).toEqual(['pbx-a']);
    expect(w.kept.size).toBe(0);
    expect(result.notes).toEqual([
      '1 picture(s) of users no longer synced: handed over',
      'the connector cannot act as 1 user(s) (adopted: 1): their pictures are handed over',
    ]);
  });

  it('retain writes nothing on the PBX and forgets every state', async () => {
    const w = contextWith([state('a'), state('b')], [user('a'), user('b')]);
    expect(await teardownPhotos(w.context, asked('retain'))).toMatchObject({ deleted: 0, handedOver: 2, notes: [] });
    expect(w.removed).toEqual([]);
    expect(w.kept.size).toBe(0);
  });

  it('keeps the state of a picture whose removal failed, with one note', async () => {
    const w = contextWith([state('a'), state('b'), state('c')], [user('a'), user('b'), user('c')], (id) =>
      id === 'pbx-a' ? undefined : new AppError('UNPROCESSABLE', `PBX refused ${id}`),
    );
    const result = await teardownPhotos(w.context, asked('delete'));
    expect(result).toMatchObject({ deleted: 1, failed: 2 });
    expect([...w.kept.keys()].sort()).toEqual(['b', 'c']);
    expect(result.notes).toEqual([expect.stringMatching(/^2 picture\(s\) could not be let go; .*first error: PBX refused pbx-[bc]\)$/)]);
  });

  it('hands over when the tenant’s PBX adapter cannot remove pictures', async () => {
    const w = contextWith([state('a')], [user('a')]);
    const context = { ...w.context, pbxAvatars: undefined };
    const result = await teardownPhotos(context, asked('delete'));
    expect(result).toMatchObject({ deleted: 0, handedOver: 1 });
    expect(result.notes).toEqual(["the tenant's PBX adapter cannot remove pictures: they are handed over instead"]);
  });
});
