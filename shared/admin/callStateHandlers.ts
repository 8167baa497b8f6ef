import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { type Services } from '../app/Services';
import { inspectPbxEventTarget } from '../app/pbxEventRegistration';
import { AppError } from '../core/errors/AppError';
import { ensureError } from '../core/errors/ensureError';
import { json } from '../core/http/jsonResponses';
import { allowOnlyQuery, tenantIdParam } from './pathParams';

export type CallStateStatusDeps = Pick<Services, 'tenants' | 'connectorsFor' | 'notifications' | 'presenceStates'>;

/** Users listed by name (the count covers everyone). */
const LISTED_CALLS = 100;

/** What each registration state asks of the operator, in plain words. */
const ADVICE: Record<string, string> = {
  conflict:
    'the PBX sends its extension events to another URL; the connector leaves it. Free it at the PBX (Company → Event URL) or set callState.registerEventUrl to false and point it here by hand with a PBX key as the Bearer token',
  noPublicUrl: 'set PUBLIC_BASE_URL so the PBX can reach the connector',
  unsupported: 'this PBX adapter cannot set its event URL: set it at the PBX by hand',
  manual: 'set the PBX’s extension event URL to `url` by hand, with Bearer authentication and a PBX key of this tenant as the token',
  notRegistered: 'the next subscription upkeep (every 30 minutes, or a PUT of the configuration) registers it',
};

/**
 * GET /tenants/{id}/callstate — PBX calls → Teams: whether the PBX's extension events reach the connector (read
 * live from the PBX: registered, taken by another URL, or waiting), and whose Teams shows a PBX call now.
 */
export async function getCallStateStatus(deps: CallStateStatusDeps, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  const tenant = await deps.tenants.get(id);
  if (!tenant) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  let eventUrl: Record<string, unknown>;
  try {
    const registration = await inspectPbxEventTarget(deps, tenant, (await deps.connectorsFor(tenant, 'realtime')).pbxEventTarget);
    eventUrl = { ...registration, ...(ADVICE[registration.state] ? { advice: ADVICE[registration.state] } : {}) };
  } catch (err) {
    eventUrl = { state: 'unreadable', error: ensureError(err).message };
  }
  const now = Date.now();
  const calls = (await deps.presenceStates.listRange(id, undefined, undefined)).filter(
    (r) => r.call?.active && (!r.call.sessionUntil || Date.parse(r.call.sessionUntil) > now),
  );
  return json(200, {
    enabled: tenant.config.enabled && tenant.config.callState.enabled,
    eventUrl,
    inACall: {
      count: calls.length,
      users: calls
        .slice(0, LISTED_CALLS)
        .map((r) => ({ objectId: r.userId, since: r.call!.eventAt, sessionUntil: r.call!.sessionUntil ?? null })),
    },
  });
}
