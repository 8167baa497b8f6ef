import { countRunRequests, type FeatureRunResult, startFeatureRunResult } from '../../engine/FeatureRunResult';
import { MAX_RUN_ISSUES } from '../../engine/RunStore';
import { type Feature, type FeatureContext } from '../Feature';
import { calendarManifest } from './calendarManifest';
import { type CalendarOptions } from './calendarOptions';
import { onCalendarTimer } from './onCalendarTimer';
import { planCalendarBatches } from './planCalendarBatches';
import { pollCalendarBatch } from './pollCalendarBatch';
import { calendarRefreshTimer } from './calendarRefresh';
import { usersInScope } from '../featureUserScope';
import { teardownPresenceSource } from '../../engine/teardownConnectorPresence';

/**
 * Calendar "show as" → PBX status, as a feature of the engine. Every synced user's calendar is read on a period
 * (FeaturePolling) and, with notifications on, as soon as Graph says their events changed (a subscription per
 * mailbox, each notification a refresh timer for its user); each meeting's start and end is a timer at its exact time (Feature.onTimer); the engine's
 * presence arbiter makes every decision, so Teams presence and the calendar never fight. A run ("Sync now")
 * reads every calendar at once.
 */
export const calendarFeature: Feature<CalendarOptions> = {
  manifest: calendarManifest,
  optionsFor: (config) => (config.calendar.enabled ? config.calendar : undefined),
  reconcileOnSchedule: false,
  subscriptions: () => [],
  userSubscriptions: {
    // Outlook event subscriptions without resource data live up to 7 days (10,080 minutes).
    subscription: (options) =>
      options.notifications
        ? { graphResource: (userId) => `users/${userId}/events`, changeType: 'created,updated,deleted', maxLifetimeMinutes: 10_080 }
        : undefined,
    usersInScope: (context, synced) => usersInScope(context, context.options.users, synced),
    timerFor: calendarRefreshTimer,
  },
  polling: {
    periodSeconds: (options) => options.refreshMinutes * 60,
    planCycle: planCalendarBatches,
    pollBatch: pollCalendarBatch,
  },
  onTimer: onCalendarTimer,
  // Every PBX status a meeting set goes back to what it was (unless changed by hand since).
  teardown: (context, request) => teardownPresenceSource(context, 'calendar', request),
  sync: (context, request) => runCalendarSync(context, request),
};

async function runCalendarSync(
  context: FeatureContext<CalendarOptions>,
  request: { mode: 'full' | 'delta'; dryRun: boolean },
): Promise<FeatureRunResult> {
  const result = startFeatureRunResult({ ...request, mode: 'full' });
  const counted = countRunRequests(context.mailboxReader, context.pbx);
  const now = context.clock?.() ?? new Date();
  for (const batch of planCalendarBatches(await context.linkedUsers.list(), 0, context.options)) {
    const outcome = await pollCalendarBatch(context, { ...batch, dryRun: request.dryRun, now });
    result.itemsRead += outcome.users;
    result.pages += outcome.graphCalls;
    result.counts.updated += outcome.pbxWrites;
    result.counts.failed += outcome.failed.length;
    result.counts.unchanged += outcome.users - outcome.failed.length - outcome.pbxWrites;
    for (const { userId, message } of outcome.failed) {
      if (result.issues.length < MAX_RUN_ISSUES) result.issues.push({ objectId: userId, code: 'calendarFailed', message });
    }
    if (outcome.timers > 0) result.notes.push(`${outcome.timers} meeting start(s) and end(s) queued`);
    if (request.dryRun) result.plannedActions?.push(...outcome.entries);
  }
  return counted(result);
}
