import { isAppError } from '../core/errors/AppError';
import { type Logger } from '../core/logging/Logger';
import { type PbxEventTarget } from '../pbx/ports/PbxEventTarget';
import { generatePbxKey, hashPbxKey } from '../pbxApi/pbxKeys';
import { tenantSecretNames } from '../platform/secrets/tenantSecretNames';
import { type Services } from './Services';
import { type TenantRecord } from './TenantStore';

/** Where the PBX's extension events go, as the connector found (and left) it. */
export type PbxEventRegistration =
  /** The PBX sends its extension events to the connector, with the connector's key. */
  | { state: 'registered'; url: string; changed: boolean }
  /** The PBX's event URL is someone else's: the connector did not touch it. */
  | { state: 'conflict'; url: string; foreignUrl: string }
  /** registerEventUrl is off: an administrator points the PBX at `url` by hand. */
  | { state: 'manual'; url: string | undefined }
  /** No PUBLIC_BASE_URL: the PBX cannot reach the connector. */
  | { state: 'noPublicUrl' }
  /** The tenant's PBX adapter cannot set its event URL. */
  | { state: 'unsupported' };

export type PbxEventRegistrationDeps = Pick<Services, 'secrets' | 'pbxKeys' | 'notifications'>;

/** The URL the tenant's PBX posts its extension events to. */
export function pbxEventsUrl(deps: Pick<Services, 'notifications'>, tenantId: string): string | undefined {
  const root = deps.notifications.publicBaseUrl;
  return root ? `${root}/api/pbx/${tenantId}/events` : undefined;
}

/**
 * Points the PBX's extension events at the connector, with a key of the connector's own (kept as a secret so it
 * can be sent again, stored as a PBX key of purpose `events` so the events route accepts it). An event URL at the
 * PBX that is not the connector's is never overwritten: the conflict is returned for the status and the run to
 * report. Idempotent: a PBX already pointing here with a live key is not written.
 */
export async function ensurePbxEventTarget(
  deps: PbxEventRegistrationDeps,
  tenant: TenantRecord,
  target: PbxEventTarget | undefined,
  log: Logger,
  now: Date = new Date(),
): Promise<PbxEventRegistration> {
  const url = pbxEventsUrl(deps, tenant.id);
  if (!tenant.config.callState.registerEventUrl) return { state: 'manual', url };
  if (!url) return { state: 'noPublicUrl' };
  if (!target) return { state: 'unsupported' };
  const shown = await target.read();
  if (shown.url && shown.url !== url) {
    log.warn('the PBX sends its extension events elsewhere; left as it is', { tenant: tenant.id });
    return { state: 'conflict', url, foreignUrl: shown.url };
  }
  const key = await eventKey(deps, tenant.id, now);
  if (shown.url === url && shown.enabled && shown.auth === 'BEARER' && !key.made) return { state: 'registered', url, changed: false };
  await target.register({ url, token: key.key });
  log.info('the PBX sends its extension events to the connector', { tenant: tenant.id, keyMade: key.made });
  return { state: 'registered', url, changed: true };
}

/** What the PBX's event URL is now, read only (the status API): no key is made, nothing is written. */
export async function inspectPbxEventTarget(
  deps: Pick<Services, 'notifications'>,
  tenant: TenantRecord,
  target: PbxEventTarget | undefined,
): Promise<PbxEventRegistration | { state: 'notRegistered'; url: string }> {
  const url = pbxEventsUrl(deps, tenant.id);
  if (!tenant.config.callState.registerEventUrl) return { state: 'manual', url };
  if (!url) return { state: 'noPublicUrl' };
  if (!target) return { state: 'unsupported' };
  const shown = await target.read();
  if (shown.url && shown.url !== url) return { state: 'conflict', url, foreignUrl: shown.url };
  return shown.url === url && shown.enabled ? { state: 'registered', url, changed: false } : { state: 'notRegistered', url };
}

/**
 * Turns the PBX's extension events off when they come to the connector (callState turned off, the tenant
 * disconnected), and revokes the connector's event key. A URL that is someone else's is left alone.
 */
export async function releasePbxEventTarget(
  deps: PbxEventRegistrationDeps,
  tenantId: string,
  target: PbxEventTarget | undefined,
  log: Logger,
): Promise<boolean> {
  const url = pbxEventsUrl(deps, tenantId);
  let released = false;
  if (target && url) {
    const shown = await target.read();
    if (shown.url === url && shown.enabled) {
      await target.unregister();
      released = true;
    }
  }
  for (const key of await deps.pbxKeys.listForTenant(tenantId))
    if (key.purpose === 'events') await deps.pbxKeys.remove(tenantId, key.keyId);
  await deps.secrets.deleteSecret(tenantSecretNames(tenantId).pbxEventKey).catch((err: unknown) => {
    if (!isAppError(err, 'NOT_FOUND')) throw err;
  });
  if (released) log.info('the PBX no longer sends its extension events to the connector', { tenant: tenantId });
  return released;
}

/** The connector's event key: the kept one while the PBX key store still knows it, else a new one. */
async function eventKey(deps: PbxEventRegistrationDeps, tenantId: string, now: Date): Promise<{ key: string; made: boolean }> {
  const name = tenantSecretNames(tenantId).pbxEventKey;
  const kept = await deps.secrets.getSecret(name).catch((err: unknown) => {
    if (isAppError(err, 'NOT_FOUND')) return undefined;
    throw err;
  });
  if (kept) {
    const stored = await deps.pbxKeys.findByHash(hashPbxKey(kept));
    if (stored?.tenantId === tenantId && stored.purpose === 'events') return { key: kept, made: false };
  }
  const { key, keyId } = generatePbxKey();
  // The secret first: a key stored but never kept could not be sent to the PBX again.
  await deps.secrets.setSecret(name, key);
  await deps.pbxKeys.add({ tenantId, keyId, createdAt: now.toISOString(), hash: hashPbxKey(key), purpose: 'events' });
  for (const old of await deps.pbxKeys.listForTenant(tenantId))
    if (old.purpose === 'events' && old.keyId !== keyId) await deps.pbxKeys.remove(tenantId, old.keyId);
  return { key, made: true };
}
