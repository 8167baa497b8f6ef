import { type TenantConfig } from '../config/TenantConfig';
import { type Lane } from '../features/FeatureManifest';
import { type FeatureRegistry } from '../features/FeatureRegistry';

/**
 * The fraction of the tenant's PBX rate limit a lane may use. Both lanes run in parallel (different queue
 * sessions, possibly different instances), so each paces itself with a fixed share of the budget; a lane
 * with no feature on for the tenant cedes its share to the other.
 */
export function laneShare(config: TenantConfig, lane: Lane, features: FeatureRegistry): number {
  const lanes = new Set(features.enabledFor(config).map(({ feature }) => feature.manifest.lane));
  const realtime = config.pbx.realtimeShare;
  if (!lanes.has('realtime')) return lane === 'directory' ? 1 : realtime;
  if (!lanes.has('directory')) return lane === 'realtime' ? 1 : 1 - realtime;
  return lane === 'realtime' ? realtime : 1 - realtime;
}
