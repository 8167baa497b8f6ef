import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { AppError } from '../core/errors/AppError';
import { type Logger } from '../core/logging/Logger';
import { json } from '../core/http/jsonResponses';
import { type Services } from '../app/Services';
import { PBX_KEY_ID_PATTERN } from '../pbxApi/pbxKeys';
import { pbxKeyViews, rotatePbxKey } from '../pbxApi/rotatePbxKey';
import { allowOnlyQuery, tenantIdParam } from './pathParams';

export type PbxKeyDeps = Pick<Services, 'tenants' | 'pbxKeys'>;

/** Answers about keys are never cached (the one that shows a key least of all). */
const NO_STORE = { 'cache-control': 'no-store' };

async function requireTenant(deps: Pick<Services, 'tenants'>, id: string): Promise<void> {
  if (!(await deps.tenants.get(id))) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
}

function keyIdParam(request: HttpRequest): string {
  const keyId = request.params.keyId ?? '';
  if (!PBX_KEY_ID_PATTERN.test(keyId)) throw new AppError('INVALID', 'invalid key id: expected 16 lowercase hex characters');
  return keyId;
}

/**
 * POST /tenants/{id}/pbx-keys — issues a new PBX API key for the tenant (201). The key is in this answer and
 * nowhere else, ever: only its SHA-256 is stored. Rotating: the key that was current stays valid as
 * `previous` until the next rotation (switch the PBX over meanwhile); older keys are revoked.
 */
export async function createPbxKey(deps: PbxKeyDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  await requireTenant(deps, id);
  const issued = await rotatePbxKey(deps.pbxKeys, id);
  log.info('PBX API key issued', { tenant: id, keyId: issued.keyId, revokedKeyIds: issued.revokedKeyIds.join(',') });
  return json(
    201,
    {
      keyId: issued.keyId,
      key: issued.key,
      createdAt: issued.createdAt,
      note: 'shown once: store it in the PBX now; only its hash is kept',
      keys: issued.kept,
      revokedKeyIds: issued.revokedKeyIds,
    },
    { ...NO_STORE, location: `/api/tenants/${id}/pbx-keys` },
  );
}

/** GET /tenants/{id}/pbx-keys — the tenant's keys (id, current or previous, created, last used): never a key or a hash. */
export async function listPbxKeys(deps: PbxKeyDeps, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  await requireTenant(deps, id);
  return json(200, { value: pbxKeyViews(await deps.pbxKeys.listForTenant(id)) }, NO_STORE);
}

/** DELETE /tenants/{id}/pbx-keys/{keyId} — revokes the key at once (204); 404 when the tenant has no such key. */
export async function revokePbxKey(deps: PbxKeyDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  const keyId = keyIdParam(request);
  allowOnlyQuery(request, []);
  await requireTenant(deps, id);
  if (!(await deps.pbxKeys.remove(id, keyId))) throw new AppError('NOT_FOUND', `tenant ${id} has no PBX API key ${keyId}`);
  log.info('PBX API key revoked', { tenant: id, keyId });
  return { status: 204, headers: NO_STORE };
}
