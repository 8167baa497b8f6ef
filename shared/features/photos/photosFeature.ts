import { type Feature } from '../Feature';
import { photosManifest } from './photosManifest';
import { type PhotoSyncOptions } from './photosOptions';
import { runPhotoSync } from './runPhotoSync';
import { teardownPhotos } from './teardownPhotos';

/**
 * Entra photos → PBX pictures, as a feature of the engine. Graph's users delta does not report photo
 * changes and photos have no change notifications, so every synced user's photo is checked (by ETag) on the
 * scheduled reconcile and on "Sync now"; a user linked by the users feature gets theirs at once.
 */
export const photosFeature: Feature<PhotoSyncOptions> = {
  manifest: photosManifest,
  optionsFor: (config) => (config.photos.enabled ? config.photos : undefined),
  reconcileOnSchedule: true,
  subscriptions: () => [],
  onLinkEvents: (batch) => (batch.feature === 'users' && batch.counts.linked > 0 ? { mode: 'delta' } : undefined),
  teardown: teardownPhotos,
  sync: (context, request) => runPhotoSync(context, request),
};
