import { ensureError } from '../../core/errors/ensureError';
import { countRunRequests, type FeatureRunResult, startFeatureRunResult } from '../../engine/FeatureRunResult';
import { MAX_RUN_ISSUES } from '../../engine/RunStore';
import { type Feature, type FeatureContext } from '../Feature';
import { callEventTimer } from './callEventTimers';
import { callStateManifest } from './callStateManifest';
import { type CallStateOptions } from './callStateOptions';
import { decideReassert } from './decideCallPresence';
import { applyCallDecision, onCallTimer } from './onCallTimer';
import { teardownCallSessions } from '../../engine/teardownConnectorPresence';

/**
 * PBX calls → Teams presence, as a feature of the engine. The PBX's extension events reach the engine's webhook
 * (`POST /api/pbx/{tenant}/events`), each becomes a timer job in the realtime lane (pbxCallEvents), and onTimer
 * sets or clears the app's Teams session for the user. The Teams presence poll knows the sessions the
 * connector holds (the record's `call`), so a PBX call never comes back as a PBX status.
 */
export const callStateFeature: Feature<CallStateOptions> = {
  manifest: callStateManifest,
  optionsFor: (config) => (config.callState.enabled ? config.callState : undefined),
  reconcileOnSchedule: false,
  subscriptions: () => [],
  pbxCallEvents: (events, _options, arrivedAt) => events.flatMap((event) => callEventTimer(event, arrivedAt) ?? []),
  onTimer: onCallTimer,
  // Every Teams "in a call" session the connector holds ends, so Teams shows the user's own presence again.
  teardown: teardownCallSessions,
  sync: (context, request) => reconcileCalls(context, request),
};

/**
 * "Sync now": every session the connector holds is checked against the PBX. A call the PBX no longer shows
 * (its end event never came) is cleared in Teams; one still running is re-asserted.
 */
async function reconcileCalls(
  context: FeatureContext<CallStateOptions>,
  request: { mode: 'full' | 'delta'; dryRun: boolean },
): Promise<FeatureRunResult> {
  const result = startFeatureRunResult({ ...request, mode: 'full' });
  const counted = countRunRequests(context.teamsPresence, context.pbx);
  const now = context.clock?.() ?? new Date();
  const held = (await context.presenceStates.listRange(context.tenantId, undefined, undefined)).filter((r) => r.call?.active);
  result.itemsRead = held.length;
  for (const record of held) {
    try {
      const user = await context.linkedUsers.get(record.userId);
      const onPbx =
        user && context.pbxPresence?.callStatus
          ? await context.pbxPresence.callStatus({ id: user.pbxUserId, userName: user.pbxUserName })
          : 'idle';
      const decision = decideReassert(record.call, Date.parse(record.call!.eventAt), onPbx, now, context.options);
      if (decision.action === 'keep') result.counts.unchanged += 1;
      else result.counts.updated += 1;
      if (request.dryRun) {
        result.plannedActions?.push({ objectId: record.userId, action: decision.action, why: decision.why });
        continue;
      }
      if (user) await applyCallDecision(context, user, record, decision, now);
      else await context.teamsPresence.clear(record.userId, context.graphApplicationId);
    } catch (caught) {
      result.counts.failed += 1;
      if (result.issues.length < MAX_RUN_ISSUES)
        result.issues.push({ objectId: record.userId, code: 'callStateFailed', message: ensureError(caught).message });
    }
  }
  if (held.length === 0) result.notes.push('no Teams call session held');
  return counted(result);
}
