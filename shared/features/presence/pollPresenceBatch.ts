import { ensureError } from '../../core/errors/ensureError';
import { type LinkedUser } from '../../engine/LinkedUsers';
import { type PresenceChangeEntry } from '../../engine/PresenceHistory';
import { requirePort } from '../../engine/requirePort';
import { type FeatureContext } from '../Feature';
import { type PollBatchOutcome, type PollBatchRequest } from '../FeaturePolling';
import { runWithConcurrency } from '../../engine/runWithConcurrency';
import { type TeamsPresence } from '../../graph/TeamsPresence';
import { type PbxPortalAccess } from '../../pbx/ports/PbxPortalAccess';
import { type PbxPresence } from '../../pbx/ports/PbxPresence';
import { type NoUserAccessReason } from '../../pbx/ports/PortalPasswords';
import { mapTeamsPresence } from './mapTeamsPresence';
import { teamsShowsOwnCall } from '../../engine/teamsShowsOwnCall';
import { needsPbxCheck } from '../../engine/needsPbxCheck';
import { applyPresenceWishes } from '../../engine/applyPresenceWishes';
import { calendarWishAt } from '../../engine/calendarWishAt';
import { type PresenceOptions } from './presenceOptions';
import { type PresenceRecord, type PresenceWish } from '../../engine/PresenceRecord';

/** What a presence batch did; `entries` are its decisions (what a dry run would have done). */
export interface PresenceBatchOutcome extends PollBatchOutcome {
  limited: { userId: string; reason: NoUserAccessReason }[];
  /** Users whose PBX shows business trip or lunch set by hand. */
  held: number;
  entries: PresenceChangeEntry[];
}

const UNKNOWN = { availability: 'PresenceUnknown', activity: 'PresenceUnknown' } as const;

/**
 * One poll of one batch: one Graph call for the batch's Teams presence, then for each user whose wish
 * changed (or every held status, on a re-assertion) a PBX read, the arbiter's decision and only the writes
 * it asks for. A status is set as the user where the connector can; otherwise the admin DND switch carries
 * what it can and the user is reported as limited. One user's failure leaves their record as it was, so the
 * next cycle tries again; nothing is lost.
 */
export async function pollPresenceBatch(context: FeatureContext<PresenceOptions>, batch: PollBatchRequest): Promise<PresenceBatchOutcome> {
  const deps = {
    ...context,
    pbxPresence: requirePort(context.pbxPresence, 'presence', context.pbxProfile.productName),
    portalAccess: context.pbxPortalAccess,
  };
  const outcome: PresenceBatchOutcome = {
    users: batch.users.length,
    graphCalls: 0,
    changed: 0,
    pbxWrites: 0,
    limited: [],
    held: 0,
    failed: [],
    entries: [],
  };
  const records = new Map(
    (await deps.presenceStates.listRange(deps.tenantId, batch.after, batch.through)).map((record) => [record.userId.toLowerCase(), record]),
  );
  let presences = new Map<string, TeamsPresence>();
  if (batch.users.length > 0) {
    outcome.graphCalls = 1;
    presences = new Map(
      (await deps.presenceReader.getPresences(batch.users.map((user) => user.objectId))).map((p) => [p.userId.toLowerCase(), p]),
    );
  }
  const saved: PresenceRecord[] = [];
  await runWithConcurrency(batch.users, deps.concurrency, async (user) => {
    const key = user.objectId.toLowerCase();
    try {
      const next = await pollUser(deps, batch, outcome, user, records.get(key), presences.get(key));
      if (next) saved.push(next);
    } catch (caught) {
      const message = ensureError(caught).message;
      outcome.failed.push({ userId: user.objectId, message });
      deps.log.warn('presence of a user not applied; the next cycle tries again', { user: user.objectId, error: message });
    }
  });
  if (batch.dryRun) return outcome;
  // Records of users who are no longer synced (their range is this batch's) go: nothing is held for them.
  const synced = new Set(batch.users.map((user) => user.objectId.toLowerCase()));
  const gone = [...records.keys()].filter((key) => !synced.has(key));
  if (saved.length > 0) await deps.presenceStates.putMany(deps.tenantId, saved);
  if (gone.length > 0) await deps.presenceStates.deleteMany(deps.tenantId, gone);
  if (outcome.entries.length > 0) await deps.presenceHistory.append(deps.tenantId, outcome.entries);
  return outcome;
}

/** One user's poll; the record to store, or undefined when nothing about them changed. */
type BatchDeps = FeatureContext<PresenceOptions> & { pbxPresence: PbxPresence; portalAccess: PbxPortalAccess | undefined };

async function pollUser(
  deps: BatchDeps,
  batch: PollBatchRequest,
  outcome: PresenceBatchOutcome,
  user: LinkedUser,
  record: PresenceRecord | undefined,
  presence: TeamsPresence | undefined,
): Promise<PresenceRecord | undefined> {
  const seen = presence ? { availability: presence.availability, activity: presence.activity } : UNKNOWN;
  // The connector's own "in a call" session (a PBX call, see the call-state feature) says nothing about the phone.
  const ownCall = teamsShowsOwnCall(record, seen.availability, batch.now);
  const target = ownCall ? 'leave' : mapTeamsPresence(deps.options.rules, seen.availability, seen.activity);
  const teams = { ...seen, target };
  // Someone the connector has never held to anything and whose Teams says nothing about the phone (offline,
  // unknown) needs no record: most of a tenant at night, and the first cycle would otherwise write them all.
  if (!record && target === 'leave') return undefined;
  const teamsChanged =
    record?.teams?.availability !== teams.availability || record.teams.activity !== teams.activity || record.teams.target !== target;
  const wishChanged = !record?.teams || record.teams.target !== target;
  if (teamsChanged) outcome.changed += 1;
  const wishes: PresenceWish[] = [
    {
      source: 'teams',
      target,
      detail: `Teams ${teams.availability} / ${teams.activity}${ownCall ? ' (the PBX call the connector shows in Teams)' : ''} → ${target}`,
    },
    // The calendar's plan (kept by the calendar feature) outranks Teams while a meeting runs.
    calendarWishAt(record?.calendar, batch.now),
  ];
  const now = batch.now.toISOString();
  if (!needsPbxCheck(record, wishes, { wishChanged, reassert: batch.reassert })) {
    return teamsChanged ? { ...record, userId: user.objectId, teams, updatedAt: now } : undefined;
  }
  const applied = await applyPresenceWishes(
    {
      pbxPresence: deps.pbxPresence,
      portalAccess: deps.portalAccess,
      manageUserPasswords: deps.manageUserPasswords,
      statusNote: deps.options.statusNote,
    },
    user,
    record,
    wishes,
    batch,
  );
  if (applied.wrote) outcome.pbxWrites += 1;
  if (applied.limitedBy) outcome.limited.push({ userId: user.objectId, reason: applied.limitedBy });
  if (applied.heldBy) outcome.held += 1;
  if (applied.entry) outcome.entries.push(applied.entry);
  return { ...record, userId: user.objectId, teams, ...applied.record, updatedAt: now };
}
