import { type PbxPresenceChanges } from '../pbx/ports/PbxPresenceChanges';
import { type PresenceChangeReason } from './PresenceRecord';
import { type PbxPresenceReading, type PbxPresenceState } from '../pbx/ports/PbxPresenceState';
import { type AppliedPresence, type AppliedTarget, PRESENCE_SOURCES, type PresenceWish, type PresenceWriteMode } from './PresenceRecord';

export interface PresenceArbiterInput {
  /** Every source's current wish (order does not matter: precedence is PRESENCE_SOURCES). */
  wishes: readonly PresenceWish[];
  applied: AppliedPresence | undefined;
  /** What the PBX shows now. */
  reading: PbxPresenceReading;
  /** Whether this write may set the status (as the user) or only the admin DND switch. */
  mode: PresenceWriteMode;
  /** Written with every status the connector sets ('' = the note is left alone). */
  statusNote: string;
  now: string;
}

export interface PresenceDecision {
  /** Only the fields to send; empty when the PBX already shows what is wanted (or nothing may change). */
  changes: PbxPresenceChanges;
  /** The record's applied state after this decision (undefined: the connector holds the PBX to nothing). */
  applied: AppliedPresence | undefined;
  /** Undefined when nothing happened worth recording (the PBX already showed the standing status). */
  reason: PresenceChangeReason | undefined;
  /** The wish that decided, when one did. */
  wish: PresenceWish | undefined;
  /** Set when the PBX shows a long-away status set by hand. */
  heldBy: 'businessTrip' | 'lunch' | undefined;
}

/** The wish that counts: the highest-precedence source with an opinion. */
export function winningWish(wishes: readonly PresenceWish[]): PresenceWish | undefined {
  for (const source of PRESENCE_SOURCES) {
    const wish = wishes.find((candidate) => candidate.source === source && candidate.target !== 'leave');
    if (wish) return wish;
  }
  return undefined;
}

/**
 * The presence arbiter: from the sources' wishes, what the connector set before and what the PBX shows now,
 * the one decision for a user's PBX status. A long-away status set by hand wins over everything; the
 * highest-precedence wish is written (only the fields that differ); when the source that set a status ends
 * and no other source has an opinion, the status from before is restored — only if the PBX still shows what
 * the connector set, so a change made by hand in between stands. Pure: the caller reads and writes.
 */
export function arbitratePresence(input: PresenceArbiterInput): PresenceDecision {
  const { reading, applied } = input;
  if (reading.status === 'businessTrip' || reading.status === 'lunch') {
    return { changes: {}, applied: undefined, reason: 'heldByPbx', wish: winningWish(input.wishes), heldBy: reading.status };
  }
  const wish = winningWish(input.wishes);
  if (!wish || wish.target === 'leave') return withoutWish(input);
  const asserted = assertedFields(wish.target, input.mode, input.statusNote, applied);
  const same = applied !== undefined && applied.source === wish.source && applied.target === wish.target;
  const changes = differingFields(asserted, reading);
  // A status hidden behind a call cannot have drifted as far as anyone can tell: re-asserting it waits.
  if (same && reading.status === undefined) delete changes.status;
  const written = Object.keys(changes).length > 0;
  const next: AppliedPresence = {
    source: wish.source,
    target: wish.target,
    mode: input.mode,
    asserted,
    before: applied?.before ?? reading,
    at: written || !same ? input.now : applied.at,
  };
  const reason = !written && same ? undefined : same ? 'reasserted' : 'set';
  return { changes, applied: next, reason, wish, heldBy: undefined };
}

/** No source has an opinion: a status Teams set stays; one a higher source set is restored if untouched. */
function withoutWish(input: PresenceArbiterInput): PresenceDecision {
  const { applied, reading } = input;
  const none = { changes: {}, wish: undefined, heldBy: undefined } as const;
  // Teams going offline or idle says nothing about the desk phone: what the connector set stays.
  if (!applied || applied.source === 'teams') return { ...none, applied, reason: undefined };
  if (!showsAsserted(applied.asserted, reading)) return { ...none, applied: undefined, reason: 'changedByHand' };
  const restore: Partial<PbxPresenceState> = {};
  for (const key of Object.keys(applied.asserted) as (keyof PbxPresenceState)[]) {
    const before = applied.before[key];
    if (before !== undefined) Object.assign(restore, { [key]: before });
  }
  return { ...none, changes: differingFields(restore, reading), applied: undefined, reason: 'restored' };
}

/**
 * The fields the connector holds the PBX to for a target. As the user: the status (and the note). With the
 * DND switch only: DND on for doNotDisturb; for any other target DND off if the connector had switched it on,
 * else nothing (the status itself is out of reach, which the caller reports).
 */
function assertedFields(
  target: AppliedTarget,
  mode: PresenceWriteMode,
  statusNote: string,
  applied: AppliedPresence | undefined,
): Partial<PbxPresenceState> {
  if (mode === 'status') return statusNote === '' ? { status: target } : { status: target, statusNote };
  if (target === 'doNotDisturb') return { doNotDisturb: true };
  return applied?.asserted.doNotDisturb === true ? { doNotDisturb: false } : {};
}

/** Whether the PBX still shows what the connector set (a status hidden behind a call counts as unchanged). */
function showsAsserted(asserted: Partial<PbxPresenceState>, reading: PbxPresenceReading): boolean {
  const changed = differingFields(asserted, reading);
  if (reading.status === undefined) delete changed.status;
  return Object.keys(changed).length === 0;
}

/** The wanted fields the PBX does not show (a status the PBX hides behind a call is sent: it cannot be compared). */
function differingFields(wanted: Partial<PbxPresenceState>, reading: PbxPresenceReading): PbxPresenceChanges {
  const changes: Partial<PbxPresenceState> = {};
  if (wanted.doNotDisturb !== undefined && wanted.doNotDisturb !== reading.doNotDisturb) changes.doNotDisturb = wanted.doNotDisturb;
  if (wanted.status !== undefined && wanted.status !== reading.status) changes.status = wanted.status;
  if (wanted.statusNote !== undefined && wanted.statusNote !== reading.statusNote) changes.statusNote = wanted.statusNote;
  return changes;
}
