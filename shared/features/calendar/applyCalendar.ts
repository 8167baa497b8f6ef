import { applyPresenceWishes, type PresenceWriter } from '../../engine/applyPresenceWishes';
import { calendarWishAt } from '../../engine/calendarWishAt';
import { type LinkedUser } from '../../engine/LinkedUsers';
import { type PresenceChangeEntry } from '../../engine/PresenceHistory';
import { type CalendarPlan, type PresenceRecord, type PresenceWish } from '../../engine/PresenceRecord';
import { requirePort } from '../../engine/requirePort';
import { type FeatureContext } from '../Feature';
import { type CalendarOptions } from './calendarOptions';

/** Teams' wish as the presence feature last recorded it (absent when presence is off or has not seen the user). */
export function teamsWishOf(record: PresenceRecord | undefined): PresenceWish[] {
  const teams = record?.teams;
  if (!teams?.target) return [];
  return [{ source: 'teams', target: teams.target, detail: `Teams ${teams.availability} / ${teams.activity} → ${teams.target}` }];
}

/** How the calendar writes: through the engine's one arbiter, with no status note of its own. */
export function calendarWriter(context: FeatureContext<CalendarOptions>): PresenceWriter {
  return {
    pbxPresence: requirePort(context.pbxPresence, 'presence', context.pbxProfile.productName),
    portalAccess: context.pbxPortalAccess,
    manageUserPasswords: context.manageUserPasswords,
    statusNote: '',
  };
}

/**
 * Applies a user's calendar plan at `now`: the arbiter decides between the calendar's wish, Teams' wish and
 * what the PBX shows (a business trip set by hand wins; the status from before a meeting is restored only if
 * nobody changed it). Returns the record to keep and the decision for the history, if any.
 */
export async function applyCalendarAt(
  context: FeatureContext<CalendarOptions>,
  user: LinkedUser,
  record: PresenceRecord | undefined,
  plan: CalendarPlan | undefined,
  request: { now: Date; dryRun: boolean },
): Promise<{ record: PresenceRecord; entry: PresenceChangeEntry | undefined; wrote: boolean; limited: boolean }> {
  const wishes = [calendarWishAt(plan, request.now), ...teamsWishOf(record)];
  const applied = await applyPresenceWishes(calendarWriter(context), user, record, wishes, { reassert: false, ...request });
  return {
    record: { ...record, userId: user.objectId, calendar: plan, ...applied.record, updatedAt: request.now.toISOString() },
    entry: applied.entry,
    wrote: applied.wrote,
    limited: applied.limitedBy !== undefined,
  };
}
