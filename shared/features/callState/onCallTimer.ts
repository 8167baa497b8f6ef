import { type LinkedUser } from '../../engine/LinkedUsers';
import { type PresenceRecord } from '../../engine/PresenceRecord';
import { type FeatureContext, type FeatureTimer } from '../Feature';
import { readCallTimer, reassertTimer } from './callEventTimers';
import { type CallStateOptions } from './callStateOptions';
import { type CallDecision, decideByPbx, decideCallEvent, decideReassert } from './decideCallPresence';
import { findCallingUser } from './findCallingUser';

/** A session is re-asserted this long before Graph would end it. */
const REASSERT_LEAD_MS = 60_000;

/**
 * A PBX call event (or a running call's re-assertion) for one user: decided against the user's call record
 * (decideCallPresence), applied in Teams, then recorded. The record is written only after Graph answered, so a
 * failure redelivers the job and the event is applied then; a repeat finds the record and does nothing.
 */
export async function onCallTimer(context: FeatureContext<CallStateOptions>, timer: FeatureTimer): Promise<void> {
  const call = readCallTimer(timer);
  if (!call) {
    context.log.warn('call-state timer not understood; dropped', { key: timer.key });
    return;
  }
  const now = context.clock?.() ?? new Date();
  const user = call.kind === 'event' ? await findCallingUser(context, call.who, now.getTime()) : await context.linkedUsers.get(call.userId);
  if (!user) {
    context.log.debug('a call of an extension the connector does not sync; ignored', { subject: timer.subject });
    return;
  }
  const record = await context.presenceStates.get(context.tenantId, user.objectId);
  let decision =
    call.kind === 'event'
      ? decideCallEvent(record?.call, call, now, context.options)
      : decideReassert(record?.call, call.eventAt, await callOnPbx(context, user), now, context.options);
  if (decision.action === 'askPbx')
    decision = decideByPbx(record?.call, call.eventAt, await callOnPbx(context, user), now, context.options);
  await applyCallDecision(context, user, record, decision, now);
}

async function callOnPbx(context: FeatureContext<CallStateOptions>, user: LinkedUser): Promise<'onCall' | 'idle' | 'unknown' | undefined> {
  const presence = context.pbxPresence;
  if (!presence?.callStatus) return undefined;
  return presence.callStatus({ id: user.pbxUserId, userName: user.pbxUserName });
}

/** Teams first, then the record (and, for a call that goes on, the next re-assertion). */
export async function applyCallDecision(
  context: FeatureContext<CallStateOptions>,
  user: LinkedUser,
  record: PresenceRecord | undefined,
  decision: CallDecision,
  now: Date,
): Promise<void> {
  const sessionId = context.graphApplicationId;
  if (decision.action === 'set') {
    await context.teamsPresence.setInACall(user.objectId, { sessionId, expiresInMinutes: context.options.sessionMinutes });
    const { eventAt, sessionUntil } = decision.call!;
    const at = new Date(Math.max(now.getTime(), Date.parse(sessionUntil!) - REASSERT_LEAD_MS));
    await context.timers?.schedule([reassertTimer(user.objectId, Date.parse(eventAt), at)]);
  } else if (decision.action === 'clear') {
    // false: Graph had no session any more (it expired); the record still says the call is over.
    await context.teamsPresence.clear(user.objectId, sessionId);
  }
  const unchanged = JSON.stringify(record?.call) === JSON.stringify(decision.call);
  if (!unchanged)
    await context.presenceStates.putMany(context.tenantId, [
      { ...record, userId: user.objectId, call: decision.call, updatedAt: now.toISOString() },
    ]);
  context.log.info('call state', { user: user.objectId, action: decision.action, why: decision.why });
}
