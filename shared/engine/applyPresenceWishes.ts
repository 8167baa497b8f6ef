import { actAsUser } from './actAsUser';
import { type PresenceDecision, arbitratePresence } from './arbitratePresence';
import { type LinkedUser } from './LinkedUsers';
import { type PresenceChangeEntry } from './PresenceHistory';
import { type PresenceRecord, type PresenceWish, type PresenceWriteMode } from './PresenceRecord';
import { type PbxAccount } from '../pbx/ports/PbxAccount';
import { type PbxPortalAccess } from '../pbx/ports/PbxPortalAccess';
import { type PbxPresence } from '../pbx/ports/PbxPresence';
import { type PbxPresenceChanges } from '../pbx/ports/PbxPresenceChanges';
import { type NoUserAccessReason } from '../pbx/ports/PortalPasswords';

/** What writing a user's PBX status takes. */
export interface PresenceWriter {
  pbxPresence: PbxPresence;
  /** Present when the adapter can set a status as the user (PortSIP with kept portal passwords). */
  portalAccess?: PbxPortalAccess | undefined;
  manageUserPasswords: boolean;
  /** Written with every status the connector sets ('' = the note is left alone). */
  statusNote: string;
}

/** What became of one user's wishes. */
export interface AppliedWishes {
  /** The record's presence part after it (the caller adds what its source saw). */
  record: Pick<PresenceRecord, 'applied' | 'limitedBy' | 'heldBy'>;
  /** Whether a PBX write was made (or, for a dry run, would have been). */
  wrote: boolean;
  limitedBy: NoUserAccessReason | undefined;
  heldBy: PresenceDecision['heldBy'];
  /** The decision for the user's history, when there was one worth recording. */
  entry: PresenceChangeEntry | undefined;
}

/**
 * Reads what the PBX shows for a user, lets the presence arbiter decide from every source's wish, and writes
 * what it asks for: the status as the user where the connector can act as them, else the admin DND switch,
 * with the reason recorded (a user known to be out of reach stays on the DND switch until a re-assertion
 * tries again). Shared by every source of status (Teams presence, the calendar), so one place decides.
 */
export async function applyPresenceWishes(
  writer: PresenceWriter,
  user: LinkedUser,
  record: PresenceRecord | undefined,
  wishes: readonly PresenceWish[],
  request: { reassert: boolean; dryRun: boolean; now: Date },
): Promise<AppliedWishes> {
  const now = request.now.toISOString();
  const account: PbxAccount = { id: user.pbxUserId, userName: user.pbxUserName };
  const reading = await writer.pbxPresence.getPresence(account);
  let limitedBy: NoUserAccessReason | undefined = !writer.portalAccess
    ? 'noPasswordKept'
    : request.reassert
      ? undefined
      : record?.limitedBy;
  if (user.origin === 'adopted') limitedBy = 'adopted';
  const decide = (mode: PresenceWriteMode): PresenceDecision =>
    arbitratePresence({ wishes, applied: record?.applied, reading, mode, statusNote: writer.statusNote, now });
  let mode: PresenceWriteMode = limitedBy ? 'dndOnly' : 'status';
  let decision = decide(mode);
  if (!request.dryRun && hasChanges(decision.changes)) {
    if (mode === 'status') {
      const written = await actAsUser({ portalAccess: writer.portalAccess, manageUserPasswords: writer.manageUserPasswords }, user, () =>
        writer.pbxPresence.setPresence(account, decision.changes),
      );
      if (!written.ok) {
        limitedBy = written.reason;
        mode = 'dndOnly';
        decision = decide(mode);
        if (hasChanges(decision.changes)) await writer.pbxPresence.setPresence(account, decision.changes);
      }
    } else {
      await writer.pbxPresence.setPresence(account, decision.changes);
    }
  }
  const entry: PresenceChangeEntry | undefined = decision.reason
    ? {
        userId: user.objectId,
        at: now,
        reason: decision.reason,
        source: decision.wish?.source,
        detail: decision.wish?.detail,
        from: reading,
        written: decision.changes,
        mode,
        limitedBy,
      }
    : undefined;
  return {
    record: { applied: decision.applied, limitedBy, heldBy: decision.heldBy },
    wrote: hasChanges(decision.changes),
    limitedBy: decision.applied ? limitedBy : undefined,
    heldBy: decision.heldBy,
    entry,
  };
}

function hasChanges(changes: PbxPresenceChanges): boolean {
  return Object.keys(changes).length > 0;
}
