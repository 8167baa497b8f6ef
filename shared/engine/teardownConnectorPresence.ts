import { ensureError } from '../core/errors/ensureError';
import { type PbxPresenceChanges } from '../pbx/ports/PbxPresenceChanges';
import { type PbxPresenceReading, type PbxPresenceState } from '../pbx/ports/PbxPresenceState';
import { type FeatureContext, type FeatureTeardownRequest, type FeatureTeardownResult } from '../features/Feature';
import { actAsUser } from './actAsUser';
import { type PresenceChangeEntry } from './PresenceHistory';
import { type AppliedPresence, type PresenceRecord, type PresenceSource } from './PresenceRecord';

/**
 * What putting back a status the connector set takes: the fields it asserted, back to what the PBX showed before
 * — only while the PBX still shows what the connector set, so a change made by hand since stands (the arbiter's
 * rule, arbitratePresence; applied here to every source, Teams included, because the source itself is going).
 * Pure. `changes` is empty when the PBX already shows the status from before.
 */
export function presenceRestoreOf(
  applied: AppliedPresence,
  reading: PbxPresenceReading,
): { kind: 'restore'; changes: PbxPresenceChanges } | { kind: 'changedByHand' } {
  if (Object.keys(differingFields(applied.asserted, reading, true)).length > 0) return { kind: 'changedByHand' };
  const restore: Partial<PbxPresenceState> = {};
  for (const key of Object.keys(applied.asserted) as (keyof PbxPresenceState)[]) {
    const before = applied.before[key];
    if (before !== undefined) Object.assign(restore, { [key]: before });
  }
  return { kind: 'restore', changes: differingFields(restore, reading, false) };
}

/** The wanted fields the PBX does not show; `hiddenStatusMatches`: a status hidden behind a call counts as unchanged. */
function differingFields(wanted: Partial<PbxPresenceState>, reading: PbxPresenceReading, hiddenStatusMatches: boolean): PbxPresenceChanges {
  const changes: Partial<PbxPresenceState> = {};
  if (wanted.doNotDisturb !== undefined && wanted.doNotDisturb !== reading.doNotDisturb) changes.doNotDisturb = wanted.doNotDisturb;
  if (wanted.status !== undefined && wanted.status !== reading.status && !(hiddenStatusMatches && reading.status === undefined))
    changes.status = wanted.status;
  if (wanted.statusNote !== undefined && wanted.statusNote !== reading.statusNote) changes.statusNote = wanted.statusNote;
  return changes;
}

const emptyResult = (): FeatureTeardownResult => ({ deleted: 0, handedOver: 0, restored: 0, failed: 0, notes: [] });

/** A record without what `source`'s feature keeps; undefined when nothing of any feature is left in it. */
export function withoutSource(record: PresenceRecord, source: PresenceSource, now: string): PresenceRecord | undefined {
  const { teams, calendar, applied, limitedBy, heldBy, ...rest } = record;
  const kept: PresenceRecord = { ...rest, updatedAt: now };
  if (teams && source !== 'teams') kept.teams = teams;
  if (calendar && source !== 'calendar') kept.calendar = calendar;
  if (applied && applied.source !== source) {
    kept.applied = applied;
    if (limitedBy) kept.limitedBy = limitedBy;
  }
  // A hold by a long-away status set by hand stays worth showing while another source still has a say.
  if (heldBy && (kept.teams || kept.calendar)) kept.heldBy = heldBy;
  return kept.teams || kept.calendar || kept.applied || kept.call ? kept : undefined;
}

/**
 * Teardown of a status source (presence: `teams`, calendar: `calendar`): every status the source set is put back
 * where the PBX still shows it (as the user for a status, with the admin switch for DND — how it was written),
 * a status changed by hand since is left, and the source's part of each record goes. pbxRecords does not matter:
 * a status is not a record the PBX admin could take over.
 */
export async function teardownPresenceSource(
  context: FeatureContext<unknown>,
  source: PresenceSource,
  request: FeatureTeardownRequest,
): Promise<FeatureTeardownResult> {
  const { tenantId, presenceStates, log } = context;
  const result = emptyResult();
  const records = await presenceStates.listRange(tenantId, undefined, undefined);
  const holding = records.filter((record) => record.applied?.source === source);
  if (request.dryRun) {
    result.restored = holding.length;
    if (holding.length > 0) result.notes.push('a status changed by hand since the connector set it is left as it is');
    return result;
  }
  const now = (context.clock?.() ?? new Date()).toISOString();
  const entries: PresenceChangeEntry[] = [];
  let firstError: string | undefined;
  let unreachable = 0;
  for (const record of holding) {
    try {
      const entry = await restoreOne(context, record, record.applied!, now);
      if (entry?.reason === 'restored') result.restored += 1;
      if (entry) entries.push(entry);
      else unreachable += 1;
    } catch (err) {
      result.failed += 1;
      firstError ??= ensureError(err).message;
    }
  }
  if (!context.pbxPresence && holding.length > 0) result.notes.push("the tenant's PBX adapter cannot write a status: none was restored");
  else if (unreachable > 0) result.notes.push(`${unreachable} status(es) of users no longer linked (users paused) were left as they are`);
  if (firstError !== undefined) {
    result.notes.push(`${result.failed} status(es) could not be restored (first error: ${firstError})`);
    log.warn('presence teardown could not restore every status', { tenant: tenantId, source, failed: result.failed });
  }
  if (entries.length > 0) await context.presenceHistory.append(tenantId, entries);
  const kept: PresenceRecord[] = [];
  const gone: string[] = [];
  for (const record of records) {
    const next = withoutSource(record, source, now);
    if (next) kept.push(next);
    else gone.push(record.userId);
  }
  await presenceStates.putMany(tenantId, kept);
  await presenceStates.deleteMany(tenantId, gone);
  return result;
}

/** Puts one user's status back (or finds it changed by hand); the entry for the user's history. */
async function restoreOne(
  context: FeatureContext<unknown>,
  record: PresenceRecord,
  applied: AppliedPresence,
  now: string,
): Promise<PresenceChangeEntry | undefined> {
  const { pbxPresence } = context;
  const user = await context.linkedUsers.get(record.userId);
  if (!pbxPresence || !user) return undefined;
  const account = { id: user.pbxUserId, userName: user.pbxUserName };
  const reading = await pbxPresence.getPresence(account);
  const decision = presenceRestoreOf(applied, reading);
  const base = { userId: record.userId, at: now, source: applied.source, from: reading, mode: applied.mode } as const;
  if (decision.kind === 'changedByHand')
    return { ...base, reason: 'changedByHand', detail: 'the feature was turned off; the status had been changed since', written: {} };
  const { changes } = decision;
  if (Object.keys(changes).length > 0) {
    if (applied.mode === 'status') {
      // Written the way it was set: as the user (the admin token cannot set a status on PortSIP).
      const written = await actAsUser(
        { portalAccess: context.pbxPortalAccess, manageUserPasswords: context.manageUserPasswords },
        user,
        () => pbxPresence.setPresence(account, changes),
      );
      if (!written.ok) throw new Error(`could not act as the user to restore the status (${written.reason})`);
    } else {
      await pbxPresence.setPresence(account, changes);
    }
  }
  return { ...base, reason: 'restored', detail: 'the feature was turned off: the status from before is back', written: changes };
}

/**
 * Teardown of the call-state feature: every Teams "in a call" session the connector holds is ended (Teams shows
 * the user's own presence again) and the call part of each record goes.
 */
export async function teardownCallSessions(
  context: FeatureContext<unknown>,
  request: FeatureTeardownRequest,
): Promise<FeatureTeardownResult> {
  const { tenantId, presenceStates, log } = context;
  const result = emptyResult();
  const records = (await presenceStates.listRange(tenantId, undefined, undefined)).filter((record) => record.call !== undefined);
  const active = records.filter((record) => record.call?.active);
  if (request.dryRun) {
    result.restored = active.length;
    return result;
  }
  const now = (context.clock?.() ?? new Date()).toISOString();
  const kept: PresenceRecord[] = [];
  const gone: string[] = [];
  let firstError: string | undefined;
  for (const record of records) {
    try {
      if (record.call?.active) {
        await context.teamsPresence.clear(record.userId, context.graphApplicationId);
        result.restored += 1;
      }
      const { call: _call, ...rest } = record;
      if (rest.teams || rest.calendar || rest.applied) kept.push({ ...rest, updatedAt: now });
      else gone.push(record.userId);
    } catch (err) {
      result.failed += 1;
      firstError ??= ensureError(err).message;
    }
  }
  if (firstError !== undefined) {
    result.notes.push(
      `${result.failed} Teams session(s) could not be cleared; Graph ends them when they expire (first error: ${firstError})`,
    );
    log.warn('call-state teardown could not clear every Teams session', { tenant: tenantId, failed: result.failed });
  }
  await presenceStates.putMany(tenantId, kept);
  await presenceStates.deleteMany(tenantId, gone);
  return result;
}
