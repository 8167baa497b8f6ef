import { type PresenceChangeReason, type PresenceSource, type PresenceWriteMode } from './PresenceRecord';
import { type PbxPresenceChanges } from '../pbx/ports/PbxPresenceChanges';
import { type PbxPresenceReading } from '../pbx/ports/PbxPresenceState';
import { type NoUserAccessReason } from '../pbx/ports/PortalPasswords';

/** One status decision the connector made for a user, and why: what the admin API shows per user. */
export interface PresenceChangeEntry {
  userId: string;
  at: string;
  reason: PresenceChangeReason;
  /** The source whose wish decided (absent for a restore or a status left as changed by hand). */
  source?: PresenceSource | undefined;
  /** The wish in words, e.g. "Teams Busy / InACall → doNotDisturb". */
  detail?: string | undefined;
  /** What the PBX showed before. */
  from: PbxPresenceReading;
  /** What was written ({} when nothing was). */
  written: PbxPresenceChanges;
  mode: PresenceWriteMode;
  /** Why only the DND switch could be used (the status itself stayed out of reach). */
  limitedBy?: NoUserAccessReason | undefined;
}

/**
 * Port: every user's presence history, newest first (Table Storage, partition = tenant + user). Entries older
 * than the retention the maintenance timer applies are purged.
 */
export interface PresenceHistory {
  append(tenantId: string, entries: readonly PresenceChangeEntry[]): Promise<void>;
  listForUser(tenantId: string, userId: string, limit: number): Promise<PresenceChangeEntry[]>;
  /** Removes entries older than `before` across all tenants; returns how many. */
  purgeOlderThan(before: Date): Promise<number>;
  deleteAllForTenant(tenantId: string): Promise<void>;
}
