import type { HttpRequest } from '@azure/functions';
import { TenantIdSchema } from '../config/TenantConfig';
import { AppError, isAppError } from '../core/errors/AppError';
import { ensureError } from '../core/errors/ensureError';
import { type Logger } from '../core/logging/Logger';
import { type Services } from '../app/Services';
import { type StoredPbxKey } from '../app/PbxKeyStore';
import { type KeyProblem, hashPbxKey, pbxKeyHashesEqual, presentedPbxKey } from './pbxKeys';

/** Who is calling: the tenant the key belongs to (which is the tenant in the route) and the key's row. */
export interface PbxCaller {
  tenantId: string;
  key: StoredPbxKey;
}

/** Why a request is not authenticated, as the 401 answer says (`details.reason`); nothing here tells tenants apart. */
export type UnauthenticatedReason = KeyProblem | 'unknown';

const MESSAGES: Record<UnauthenticatedReason, string> = {
  missing: 'an API key is required: send Authorization: Bearer <key> or x-api-key: <key>',
  ambiguous: 'send the API key in one header only: Authorization: Bearer <key> or x-api-key: <key>',
  malformed: 'the API key is malformed: expected Authorization: Bearer pbxk_… or x-api-key: pbxk_…',
  unknown: 'the API key is not valid (unknown or revoked)',
};

/** The challenge a 401 carries (RFC 6750): no error code when no key was sent at all. */
export function wwwAuthenticateFor(reason: UnauthenticatedReason): string {
  if (reason === 'missing') return 'Bearer realm="pbx"';
  return `Bearer realm="pbx", error="${reason === 'unknown' ? 'invalid_token' : 'invalid_request'}"`;
}

export function unauthenticated(reason: UnauthenticatedReason): AppError {
  return new AppError('UNAUTHORIZED', MESSAGES[reason], { details: { reason } });
}

/** `last used` is kept to the hour: enough to spot an unused key, and at most one write per key and hour. */
const LAST_USED_RESOLUTION_MS = 3_600_000;
export const coarseLastUsed = (now: Date) =>
  new Date(Math.floor(now.getTime() / LAST_USED_RESOLUTION_MS) * LAST_USED_RESOLUTION_MS).toISOString();

function routeTenantId(request: HttpRequest): string {
  const parsed = TenantIdSchema.safeParse(request.params.tenantId ?? '');
  if (!parsed.success) throw new AppError('INVALID', `invalid tenant id: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/**
 * Authenticates a PBX API request, in this order, so that nobody without a valid key learns anything:
 *
 * 1. a key in exactly one header, shaped like a key — else 401, before any storage is touched;
 * 2. its SHA-256 looked up (one point read) and re-checked against the stored hash in constant time — an
 *    unknown or revoked key is 401 on every tenant id, existing or not, so a caller without a valid key
 *    cannot tell tenant ids apart;
 * 3. the route's tenant id is well-formed — else 400 (only a caller holding a valid key gets this far);
 * 4. the key's tenant is the route's — else 403 (the key holder learns only that it is not theirs; a
 *    missing tenant and someone else's both answer 403);
 * 5. the tenant still exists — else 401, as for a revoked key (its keys go with it).
 *
 * The key and its hash are never logged or put in an answer; the key id is.
 */
export async function authenticatePbxRequest(
  deps: Pick<Services, 'pbxKeys' | 'tenants'>,
  request: HttpRequest,
  log: Logger,
  now: Date,
): Promise<PbxCaller> {
  const presented = presentedPbxKey(request.headers);
  if ('problem' in presented) throw unauthenticated(presented.problem);
  const hash = hashPbxKey(presented.key);
  // The point read is by the hash, whose timing says nothing useful (an attacker knows the hash of their own
  // guess and cannot turn it into anyone's key); the stored hash is compared again in constant time so the
  // check does not depend on how the row was found.
  const stored = await deps.pbxKeys.findByHash(hash);
  if (!stored || !pbxKeyHashesEqual(hash, stored.hash)) throw unauthenticated('unknown');
  const tenantId = routeTenantId(request);
  if (stored.tenantId !== tenantId) {
    log.warn('PBX API key used on another tenant', { tenant: stored.tenantId, keyId: stored.keyId, requestedTenant: tenantId });
    throw new AppError('FORBIDDEN', `this API key does not grant access to tenant ${tenantId}`);
  }
  if (!(await tenantExists(deps, tenantId))) {
    log.warn('PBX API key of a tenant that no longer exists', { tenant: tenantId, keyId: stored.keyId });
    throw unauthenticated('unknown');
  }
  return { tenantId, key: await touched(deps, stored, now, log) };
}

async function tenantExists(deps: Pick<Services, 'tenants'>, tenantId: string): Promise<boolean> {
  try {
    return (await deps.tenants.get(tenantId)) !== null;
  } catch (err) {
    // A stored configuration that no longer validates is still a tenant (the operator's to fix).
    if (isAppError(err, 'CONFIG')) return true;
    throw err;
  }
}

/** Records the (coarse) last use; a failure to record it never fails the request. */
async function touched(deps: Pick<Services, 'pbxKeys'>, key: StoredPbxKey, now: Date, log: Logger): Promise<StoredPbxKey> {
  const lastUsedAt = coarseLastUsed(now);
  if (key.lastUsedAt === lastUsedAt) return key;
  try {
    const result = await deps.pbxKeys.update(key.hash, { lastUsedAt });
    if (result.outcome === 'gone') throw unauthenticated('unknown'); // revoked this very moment
    if (result.outcome === 'updated') return { ...key, lastUsedAt, etag: result.etag };
  } catch (err) {
    if (isAppError(err, 'UNAUTHORIZED')) throw err;
    log.warn('could not record when a PBX API key was last used', { keyId: key.keyId, error: ensureError(err).message });
  }
  return key;
}
