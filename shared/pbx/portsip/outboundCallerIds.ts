import { AppError, isAppError } from '../../core/errors/AppError';
import { type PbxCallerId } from '../ports/PbxCallerId';
import { type OutboundCallerIdEntry } from './portSipSchemas';

/**
 * The `description` that marks the one entry of a user's `outbound_caller_ids` the connector owns. Ownership
 * is the marker, not the number: every other entry (an admin's, on any provider) is kept as it is; ours is
 * replaced in place or removed, on whichever provider it is (so a changed `providerId` moves it). An admin
 * who edits our entry's number but leaves the marker has it overwritten at the next caller-ID write; one who
 * changes the description takes the entry over, and the connector adds its own beside it when it next writes.
 */
export const CONNECTOR_CALLER_ID_MARK = 'Microsoft 365 (set by the sync connector)';

/** Stable code of a caller ID the PBX refused (on PortSIP: not one of the trunk's DIDs, or no such trunk). */
export const CALLER_ID_REJECTED = 'outboundCallerIdRejected';

const isOurs = (entry: OutboundCallerIdEntry) => entry.description === CONNECTOR_CALLER_ID_MARK;

/** Our entry in a user's list, or null. */
export function ourCallerId(entries: readonly OutboundCallerIdEntry[]): PbxCallerId | null {
  const ours = entries.find(isOurs);
  return ours ? { providerId: ours.provider_id, callerId: ours.caller_id } : null;
}

/** A new entry of ours: preferred only when no entry an admin kept already is. */
export function newEntry(wanted: PbxCallerId, others: readonly OutboundCallerIdEntry[]): OutboundCallerIdEntry {
  return {
    provider_id: wanted.providerId,
    caller_id: wanted.callerId,
    preferred: !others.some((e) => e.preferred === true),
    description: CONNECTOR_CALLER_ID_MARK,
  };
}

/**
 * The list with our entry set to `wanted` (null: removed), every other entry untouched and in place; undefined
 * when that is the list as it is (nothing to send). When an admin's own entry already gives the same number on
 * the same provider, ours is not added beside it (and clearing ours later leaves theirs).
 */
export function withOurCallerId(
  entries: readonly OutboundCallerIdEntry[],
  wanted: PbxCallerId | null,
): OutboundCallerIdEntry[] | undefined {
  const others = entries.filter((e) => !isOurs(e));
  const coveredByAdmin = !!wanted && others.some((e) => e.provider_id === wanted.providerId && e.caller_id === wanted.callerId);
  let next: OutboundCallerIdEntry[];
  if (!wanted || coveredByAdmin) next = others;
  else {
    const first = entries.findIndex(isOurs);
    if (first < 0) next = [...entries, newEntry(wanted, others)];
    else
      next = entries.flatMap((e, i) => {
        if (!isOurs(e)) return [e];
        // Duplicates of ours (two markers) collapse into the first; its `preferred` is the admin's choice.
        return i === first ? [{ ...e, provider_id: wanted.providerId, caller_id: wanted.callerId }] : [];
      });
  }
  return JSON.stringify(next) === JSON.stringify(entries) ? undefined : next;
}

/**
 * A refused write that carried a caller ID, recognised by PortSIP's words about it, as a per-user failure with
 * a stable code and a message an admin can act on. ⚠ PortSIP documents no code for this: its answer is expected
 * as 400 VALIDATE_FAILED naming `outbound_caller_ids` (or the caller id / provider); anything else is rethrown.
 */
export function callerIdRefusal(err: unknown, wanted: PbxCallerId | null | undefined): unknown {
  if (!wanted || !isAppError(err, 'INVALID')) return err;
  const words = `${err.message} ${JSON.stringify(err.details ?? '')}`;
  if (!/outbound_caller_ids|caller[\s_-]?id|provider/i.test(words)) return err;
  return new AppError(
    'INVALID',
    `the PBX refused ${wanted.callerId} as outbound caller ID on provider ${wanted.providerId}: a caller ID must be ` +
      `one of that trunk's DIDs (add the number to the trunk, or fix the user's phone in Entra) — ${err.message}`,
    { cause: err, details: err.details, upstreamStatus: err.upstreamStatus, upstreamCode: CALLER_ID_REJECTED },
  );
}
