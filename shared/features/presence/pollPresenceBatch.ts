import { ensureError } from '../../core/errors/ensureError';
import { type Logger } from '../../core/logging/Logger';
import { actAsUser } from '../../engine/actAsUser';
import { type LinkedUser } from '../../engine/LinkedUsers';
import { type PresenceChangeEntry, type PresenceHistory } from '../../engine/PresenceHistory';
import { type PresenceStateStore } from '../../engine/PresenceStateStore';
import { runWithConcurrency } from '../../engine/runWithConcurrency';
import { type PresenceReader } from '../../graph/PresenceReader';
import { type TeamsPresence } from '../../graph/TeamsPresence';
import { type PbxAccount } from '../../pbx/ports/PbxAccount';
import { type PbxPortalAccess } from '../../pbx/ports/PbxPortalAccess';
import { type PbxPresence } from '../../pbx/ports/PbxPresence';
import { type PbxPresenceChanges } from '../../pbx/ports/PbxPresenceChanges';
import { type NoUserAccessReason } from '../../pbx/ports/PortalPasswords';
import { type PresenceDecision, arbitratePresence } from './arbitratePresence';
import { mapTeamsPresence } from './mapTeamsPresence';
import { needsPbxCheck } from './needsPbxCheck';
import { type PresenceOptions } from './presenceOptions';
import { type PresenceRecord, type PresenceWish, type PresenceWriteMode } from './PresenceRecord';

/** What polling one batch needs: the tenant's readers and writers, its stores, its options. */
export interface PresenceBatchDeps {
  tenantId: string;
  options: PresenceOptions;
  presenceReader: PresenceReader;
  pbxPresence: PbxPresence;
  /** Present when the adapter sets a status as the user (PortSIP with kept portal passwords). */
  portalAccess?: PbxPortalAccess | undefined;
  manageUserPasswords: boolean;
  presenceStates: PresenceStateStore;
  presenceHistory: PresenceHistory;
  /** PBX requests in flight (the PBX client rate-limits on top). */
  concurrency: number;
  log: Logger;
  now: () => Date;
}

/** One batch: at most 650 synced users, and the key range of presence records it owns. */
export interface PresenceBatch {
  /** Sorted by lower-case object id. */
  users: readonly LinkedUser[];
  /** Records with keys after this (exclusive) belong to the batch; undefined: from the first. */
  after: string | undefined;
  /** …through this (inclusive); undefined: to the last. */
  through: string | undefined;
  /** Re-assert: read back every status the connector holds the PBX to, and write again what drifted. */
  reassert: boolean;
  /** Decide, write nothing (a dry run). */
  dryRun: boolean;
}

/** What a batch did. */
export interface PresenceBatchOutcome {
  users: number;
  graphCalls: number;
  /** Users whose Teams presence changed since the last poll. */
  changed: number;
  /** Users whose PBX status was written. */
  pbxWrites: number;
  /** Users written with the admin DND switch only, and why. */
  limited: { userId: string; reason: NoUserAccessReason }[];
  /** Users whose PBX shows business trip or lunch set by hand. */
  held: number;
  failed: { userId: string; message: string }[];
  /** Every decision recorded in the history (what a dry run would have done). */
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
export async function pollPresenceBatch(deps: PresenceBatchDeps, batch: PresenceBatch): Promise<PresenceBatchOutcome> {
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
async function pollUser(
  deps: PresenceBatchDeps,
  batch: PresenceBatch,
  outcome: PresenceBatchOutcome,
  user: LinkedUser,
  record: PresenceRecord | undefined,
  presence: TeamsPresence | undefined,
): Promise<PresenceRecord | undefined> {
  const teams = presence ? { availability: presence.availability, activity: presence.activity } : UNKNOWN;
  const target = mapTeamsPresence(deps.options.rules, teams.availability, teams.activity);
  const teamsChanged = record?.teams?.availability !== teams.availability || record.teams.activity !== teams.activity;
  const wishChanged = !record?.teams || mapTeamsPresence(deps.options.rules, record.teams.availability, record.teams.activity) !== target;
  if (teamsChanged) outcome.changed += 1;
  const wishes: PresenceWish[] = [{ source: 'teams', target, detail: `Teams ${teams.availability} / ${teams.activity} → ${target}` }];
  const now = deps.now().toISOString();
  if (!needsPbxCheck(record, wishes, { wishChanged, reassert: batch.reassert })) {
    return teamsChanged ? { ...record, userId: user.objectId, teams, updatedAt: now } : undefined;
  }
  const account: PbxAccount = { id: user.pbxUserId, userName: user.pbxUserName };
  const reading = await deps.pbxPresence.getPresence(account);
  // A user known to be out of reach is written with the DND switch until a re-assertion tries again.
  let limitedBy: NoUserAccessReason | undefined = !deps.portalAccess ? 'noPasswordKept' : batch.reassert ? undefined : record?.limitedBy;
  if (user.origin === 'adopted') limitedBy = 'adopted';
  const decide = (mode: PresenceWriteMode): PresenceDecision =>
    arbitratePresence({ wishes, applied: record?.applied, reading, mode, statusNote: deps.options.statusNote, now });
  let mode: PresenceWriteMode = limitedBy ? 'dndOnly' : 'status';
  let decision = decide(mode);
  if (!batch.dryRun && hasChanges(decision.changes)) {
    if (mode === 'status') {
      const written = await actAsUser({ portalAccess: deps.portalAccess, manageUserPasswords: deps.manageUserPasswords }, user, () =>
        deps.pbxPresence.setPresence(account, decision.changes),
      );
      if (!written.ok) {
        limitedBy = written.reason;
        mode = 'dndOnly';
        decision = decide(mode);
        if (hasChanges(decision.changes)) await deps.pbxPresence.setPresence(account, decision.changes);
      }
    } else {
      await deps.pbxPresence.setPresence(account, decision.changes);
    }
  }
  if (hasChanges(decision.changes)) outcome.pbxWrites += 1;
  if (limitedBy && decision.applied) outcome.limited.push({ userId: user.objectId, reason: limitedBy });
  if (decision.heldBy) outcome.held += 1;
  if (decision.reason) {
    outcome.entries.push({
      userId: user.objectId,
      at: now,
      reason: decision.reason,
      source: decision.wish?.source,
      detail: decision.wish?.detail,
      from: reading,
      written: decision.changes,
      mode,
      limitedBy,
    });
  }
  return { userId: user.objectId, teams, applied: decision.applied, limitedBy, heldBy: decision.heldBy, updatedAt: now };
}

function hasChanges(changes: PbxPresenceChanges): boolean {
  return Object.keys(changes).length > 0;
}
