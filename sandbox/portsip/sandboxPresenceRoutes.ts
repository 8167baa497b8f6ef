import { z } from 'zod';
import { parseBody } from './parseBody';
import { notFound, PbxError } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { ANY_VERSION_PRESENCE_NAMES } from './presenceNames';
import { type RequestBody } from './readJsonBody';
import { type ViewAnswer } from './sandboxViewRoutes';
import { type UserRecord } from './UserDirectory';

/** For the /_sandbox index. */
export const PRESENCE_CONTROL_ROUTES = [
  { method: 'GET', path: '/_sandbox/users/{id}/presence', shows: "one user's presence, DND flag and count of presence writes applied" },
  {
    method: 'POST',
    path: '/_sandbox/users/{id}/presence',
    shows: 'sets a presence by hand, as if from the phone: {presence, presence_note?}',
  },
  {
    method: 'POST',
    path: '/_sandbox/users/{id}/call',
    shows: 'marks a call in progress or ended: {active}; a change sends an extension_call event when extension_event is enabled',
  },
  { method: 'POST', path: '/_sandbox/faults/presence', shows: 'the next N presence writes answer 200 but are not applied: {lose}' },
];

export const PresenceByHandBody = z.object({
  presence: z.enum(ANY_VERSION_PRESENCE_NAMES, { error: `must be one of ${ANY_VERSION_PRESENCE_NAMES.join(', ')}` }),
  presence_note: z.string().max(128, 'must be at most 128 characters').nullish(),
});
const CallBody = z.object({ active: z.boolean({ error: 'must be true or false' }) });
const LoseBody = z.object({ lose: z.number({ error: 'must be a number' }).int('must be a whole number').min(0).max(1_000_000) });

const USER_ROUTE = /^\/_sandbox\/users\/([^/]+)\/(presence|call)$/;

/**
 * The sandbox's presence controls (loopback only, no auth, like the views): what a user does on their phone
 * (choose a presence, be on a call), the lost-write fault, and a look at a user's presence. Like the views they
 * are not PortSIP traffic: no rate limit, faults, latency or stats. undefined for any other path.
 */
export function sandboxPresenceAnswer(tenant: PbxTenant, method: string, path: string, body: RequestBody): ViewAnswer | undefined {
  const userMatch = USER_ROUTE.exec(path);
  if (!userMatch && path !== '/_sandbox/faults/presence') return undefined;
  const allowed = userMatch?.[2] === 'presence' ? ['GET', 'POST'] : ['POST'];
  try {
    if (!allowed.includes(method))
      throw new PbxError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${allowed.join(' or ')}`);
    const { presences } = tenant;
    if (!userMatch) return { status: 200, body: { pending: presences.loseNext(parseBody(LoseBody, body.parse()).lose) } };
    const record = existing(tenant, decodeURIComponent(userMatch[1]!));
    if (userMatch[2] === 'call') tenant.setOnCall(record, parseBody(CallBody, body.parse()).active);
    else if (method === 'POST') {
      const b = parseBody(PresenceByHandBody, body.parse());
      presences.setByHand(record, b.presence, b.presence_note);
    }
    return { status: 200, body: presences.view(record) };
  } catch (err) {
    if (err instanceof PbxError)
      return { status: err.status, body: err.body(), ...(err.status === 405 ? { headers: { allow: allowed.join(', ') } } : {}) };
    if (err instanceof URIError)
      return { status: 400, body: new PbxError(400, 'VALIDATE_FAILED', 'a path segment is not valid percent-encoding').body() };
    throw err;
  }
}

function existing(tenant: PbxTenant, id: string): UserRecord {
  const record = tenant.users.get(id);
  if (!record) throw notFound(`no user ${id}`);
  return record;
}
