import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { activePollingOf } from '../app/pollingChain';
import { type Services } from '../app/Services';
import { guid } from '../config/guid';
import { AppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { describeNoUserAccess } from '../engine/actAsUser';
import { type NoUserAccessReason } from '../pbx/ports/PortalPasswords';
import { allowOnlyQuery, tenantIdParam } from './pathParams';

export type PresenceStatusDeps = Pick<Services, 'tenants' | 'features' | 'links' | 'presenceStates' | 'presenceHistory' | 'pollCycles'>;

/** Users listed by name in the tenant view, per reason (the counts cover everyone). */
const LISTED_LIMITED_USERS = 50;
const HISTORY_LIMIT = z.coerce.number().int().min(1).max(200).default(50);

/**
 * GET /tenants/{id}/presence — the tenant's presence polling: on or off, the last cycle (users, Graph calls,
 * PBX writes, failures, its last error), when the next starts, and who can only get the DND switch and why.
 */
export async function getPresenceStatus(deps: PresenceStatusDeps, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  const tenant = await deps.tenants.get(id);
  if (!tenant) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  const polling = activePollingOf(deps, tenant).find(({ feature }) => feature.manifest.name === 'presence');
  const options = tenant.config.presence;
  const cycle = await deps.pollCycles.get(id, 'presence');
  const limitedCounts: Partial<Record<NoUserAccessReason, number>> = {};
  const limitedUsers: { objectId: string; reason: NoUserAccessReason; message: string }[] = [];
  let held = 0;
  for (const record of await deps.presenceStates.listRange(id, undefined, undefined)) {
    if (record.heldBy) held += 1;
    if (!record.limitedBy) continue;
    limitedCounts[record.limitedBy] = (limitedCounts[record.limitedBy] ?? 0) + 1;
    if (limitedUsers.length < LISTED_LIMITED_USERS) {
      limitedUsers.push({
        objectId: record.userId,
        reason: record.limitedBy,
        message: `only the DND switch can be set: ${describeNoUserAccess(record.limitedBy)}`,
      });
    }
  }
  return json(200, {
    polling: polling ? 'on' : 'off',
    ...(polling ? { pollSeconds: options.pollSeconds, reassertMinutes: options.reassertMinutes } : {}),
    lastCycle: cycle
      ? {
          startedAt: cycle.startedAt,
          finishedAt: cycle.finishedAt ?? null,
          ...cycle.stats,
          lastError: cycle.lastError ?? null,
        }
      : null,
    nextCycleAt: polling && cycle ? new Date((cycle.slot + 1) * polling.periodMs).toISOString() : null,
    heldByHand: held,
    limited: { counts: limitedCounts, users: limitedUsers },
  });
}

/**
 * GET /tenants/{id}/presence/users/{userId}?limit= — one user's presence: what Teams said last, the status the
 * connector holds the PBX to (and from which source), whether only the DND switch can be used and why, and
 * every status decision, newest first.
 */
export async function getUserPresence(deps: PresenceStatusDeps, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, ['limit']);
  const userId = guid.safeParse(request.params.userId ?? '');
  if (!userId.success) throw new AppError('INVALID', 'invalid user id: must be the Entra object id (a GUID)');
  const limit = HISTORY_LIMIT.safeParse(request.query.get('limit') ?? undefined);
  if (!limit.success) throw new AppError('INVALID', 'query parameter limit must be a whole number from 1 to 200');
  if (!(await deps.tenants.get(id))) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  const [link, record] = await Promise.all([deps.links.get(id, userId.data), deps.presenceStates.get(id, userId.data)]);
  if (!link && !record) throw new AppError('NOT_FOUND', `user ${userId.data} is not synced to tenant ${id}'s PBX`);
  const history = await deps.presenceHistory.listForUser(id, userId.data, limit.data);
  return json(200, {
    objectId: userId.data,
    extension: link?.extensionNumber ?? null,
    teams: record?.teams ?? null,
    applied: record?.applied ?? null,
    limitedBy: record?.limitedBy
      ? { reason: record.limitedBy, message: `only the DND switch can be set: ${describeNoUserAccess(record.limitedBy)}` }
      : null,
    heldBy: record?.heldBy ?? null,
    updatedAt: record?.updatedAt ?? null,
    history,
  });
}
