import { z } from 'zod';
import { type ExtensionEventFaultState, type ExtensionEventSender } from './ExtensionEventSender';
import { extensionCallMessage, type ExtensionStatusEntry, unixSecondsNow } from './extensionEventMessages';
import { parseBody } from './parseBody';
import { notFound, PbxError } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { type RequestBody } from './readJsonBody';
import { type ViewAnswer } from './sandboxViewRoutes';
import { type UserRecord } from './UserDirectory';

/** For the /_sandbox index. */
export const EXTENSION_EVENT_CONTROL_ROUTES = [
  { method: 'GET', path: '/_sandbox/extension-events', shows: 'every extension event delivery: body, attempts, answers; and the faults' },
  {
    method: 'POST',
    path: '/_sandbox/extension-events/status',
    shows: 'sends an extension_status event for the given users (all when none): {user_ids?}',
  },
  {
    method: 'POST',
    path: '/_sandbox/extension-events/faults',
    shows: 'sets delivery faults: {drop?, drop_probability?, seed?, duplicate?, reorder?, delay_ms?}',
  },
];

const count = (name: string) =>
  z
    .number({ error: `${name} must be a number` })
    .int('must be a whole number')
    .min(0)
    .max(1_000_000);
const FaultsBody = z.object({
  drop: count('drop').optional(),
  drop_probability: z.number({ error: 'must be a number' }).min(0).max(1).optional(),
  seed: z.number({ error: 'must be a number' }).int('must be a whole number').optional(),
  duplicate: count('duplicate').optional(),
  reorder: count('reorder').optional(),
  delay_ms: z.number({ error: 'must be a number' }).int('must be a whole number').min(0).max(600_000).optional(),
});
const StatusBody = z.object({
  user_ids: z
    .array(z.string({ error: 'must be strings' }))
    .max(10_000)
    .optional(),
});

/** The fault switches as the control route shows them (snake_case, like the PortSIP JSON around them). */
const faultView = (state: ExtensionEventFaultState) => ({
  drop: state.drop,
  drop_probability: state.dropProbability,
  duplicate: state.duplicate,
  reorder: state.reorder,
  delay_ms: state.delayMs,
});

/** A call began (ON_CALL) or ended ("") on the user's phone: WSI's extension_call, when extension events are on. */
export function raiseExtensionCall(tenant: PbxTenant, sender: ExtensionEventSender, record: UserRecord, active: boolean): void {
  const message = extensionCallMessage(tenant.id, { number: record.user.extension_number, id: record.user.id }, active ? 'ON_CALL' : '');
  sender.send(tenant.eventTargets.extension_event, message);
}

/**
 * One extension_status event for these users (every user when none is named). The sandbox's users are always
 * registered, so `online` is true; `presence` is what the configured API version shows, the call name during
 * a call. 409 while extension events are off, so a test that forgot to register learns it.
 */
export function raiseExtensionStatus(tenant: PbxTenant, sender: ExtensionEventSender, userIds?: readonly string[]): number {
  const target = tenant.eventTargets.extension_event;
  if (!target.enabled || !target.url)
    throw new PbxError(409, 'CONFLICT', 'extension_event is not enabled; register it with POST /api/tenant first');
  const records = userIds
    ? userIds.map((id) => {
        const record = tenant.users.get(id);
        if (!record) throw notFound(`no user ${id}`);
        return record;
      })
    : tenant.users.all();
  const time = unixSecondsNow();
  const status: ExtensionStatusEntry[] = records.map((record) => {
    const presence = tenant.presences.view(record);
    return {
      extension: `sip:${record.user.extension_number}@${tenant.admin.domain}`,
      extension_id: record.user.id,
      call_status: presence.on_call ? 'ON_CALL' : '',
      online: true,
      presence: presence.presence,
      presence_note: presence.presence_note ?? '',
      push_online: false,
      time,
    };
  });
  sender.send(target, { event_type: 'extension_status', tenant_id: tenant.id, status });
  return status.length;
}

/**
 * The sandbox's extension-event controls (loopback only, no auth, like the other /_sandbox routes; not
 * PortSIP traffic, so no rate limit, faults, latency or stats). undefined for any other path.
 */
export function extensionEventControlAnswer(
  tenant: PbxTenant,
  sender: ExtensionEventSender,
  method: string,
  path: string,
  body: RequestBody,
): ViewAnswer | undefined {
  const routes: Record<string, string> = {
    '/_sandbox/extension-events': 'GET',
    '/_sandbox/extension-events/status': 'POST',
    '/_sandbox/extension-events/faults': 'POST',
  };
  const allowed = routes[path];
  if (!allowed) return undefined;
  try {
    if (method !== allowed) throw new PbxError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${allowed}`);
    if (path === '/_sandbox/extension-events/faults') {
      const b = parseBody(FaultsBody, body.parse());
      const state = sender.setFaults({
        ...(b.drop === undefined ? {} : { drop: b.drop }),
        ...(b.drop_probability === undefined ? {} : { dropProbability: b.drop_probability }),
        ...(b.seed === undefined ? {} : { seed: b.seed }),
        ...(b.duplicate === undefined ? {} : { duplicate: b.duplicate }),
        ...(b.reorder === undefined ? {} : { reorder: b.reorder }),
        ...(b.delay_ms === undefined ? {} : { delayMs: b.delay_ms }),
      });
      return { status: 200, body: { faults: faultView(state) } };
    }
    if (path === '/_sandbox/extension-events/status') {
      const userIds = parseBody(StatusBody, body.parse()).user_ids;
      // 202: the event is on its way, not yet delivered.
      return { status: 202, body: { extensions: raiseExtensionStatus(tenant, sender, userIds) } };
    }
    const deliveries = sender.deliveries();
    return {
      status: 200,
      body: { pending: sender.pendingCount(), faults: faultView(sender.faultState()), count: deliveries.length, value: deliveries },
    };
  } catch (err) {
    if (err instanceof PbxError)
      return { status: err.status, body: err.body(), ...(err.status === 405 ? { headers: { allow: allowed } } : {}) };
    throw err;
  }
}
