import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { AppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { type Services } from '../app/Services';
import { allowOnlyQuery, tenantIdParam } from './pathParams';
import { describeNoUserAccess } from '../engine/actAsUser';
import { type NoUserAccessReason } from '../pbx/ports/PortalPasswords';

export type UserAccessDeps = Pick<Services, 'tenants' | 'links' | 'portalPasswords'>;

/** `kept`: the connector keeps a password the PBX has not refused (a session opens when a write needs one). */
type Access = 'kept' | NoUserAccessReason;

/**
 * GET /tenants/{id}/user-access — for every synced user, whether the connector can act as them on the PBX
 * (personal contacts, pictures): `kept`, or the reason it cannot, with what to do. From stored state only: no PBX
 * sign-in, no password read.
 */
export async function listUserAccess(deps: UserAccessDeps, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  if (!(await deps.tenants.get(id))) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  const kept = new Map((await (deps.portalPasswords?.listKept(id) ?? Promise.resolve([]))).map((k) => [k.userName, k]));
  const counts: Partial<Record<Access, number>> = {};
  const value = (await deps.links.listByTenant(id))
    .filter((link) => link.state === 'active')
    .sort((a, b) => a.extensionNumber.localeCompare(b.extensionNumber, undefined, { numeric: true }))
    .map((link) => {
      const entry = kept.get(link.pbxUserName.toLowerCase());
      const access: Access = link.origin === 'adopted' ? 'adopted' : !entry ? 'noPasswordKept' : (entry.refused?.reason ?? 'kept');
      counts[access] = (counts[access] ?? 0) + 1;
      return {
        objectId: link.objectId,
        extension: link.extensionNumber,
        access,
        ...(access === 'kept' ? {} : { message: describeNoUserAccess(access) }),
        ...(entry?.refused && access !== 'adopted' ? { since: entry.refused.at } : {}),
      };
    });
  return json(200, { counts, value });
}
