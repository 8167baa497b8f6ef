import {
  type AnyVersionPresenceName,
  type ChosenPresence,
  chosenPresenceOf,
  onCallName,
  type PortSipApiVersion,
  presenceName,
} from './presenceNames';
import { MAX_PRESENCE_WRITE_LOG, type PresenceWriteLogEntry, type SandboxStats } from './SandboxStats';
import { type UserRecord } from './UserDirectory';

/** One user's presence as the sandbox keeps it (the DND flag stays in the user's settings, where the admin API puts it). */
interface PresenceRecord {
  chosen: ChosenPresence;
  /** null = no note. */
  note: string | null;
  /** Set by the sandbox's control switch: the PBX shows the call instead of the chosen presence. */
  onCall: boolean;
  /** Presence writes applied through the API (status and DND), for tests that prove a write landed or not. */
  writes: number;
}

/** A user's presence as the sandbox's view and tests see it, named as the configured API version names it. */
export interface SandboxPresence {
  presence: string;
  presence_note: string | null;
  enable_dnd: boolean;
  on_call: boolean;
  /** Presence writes applied through the API (`POST /api/user/presence`, and user updates carrying `enable_dnd`). */
  writes: number;
}

/** `GET /api/users/{id}/status` and `GET /api/user/status`. */
export interface PresenceStatusAnswer {
  status: string;
  presence: string;
  presence_note: string | null;
  registration: unknown[];
  enable_dnd: boolean;
  enable_acb: boolean;
}

const fresh = (): PresenceRecord => ({ chosen: 'AVAILABLE', note: null, onCall: false, writes: 0 });

/**
 * Every user's presence, spoken in one API version, and the lost-write fault: a presence write it loses is
 * answered 200 like any other but changes nothing, the failure a connector must heal by reading back.
 */
export class UserPresences {
  private readonly byUser = new Map<string, PresenceRecord>();
  private writesToLose = 0;

  constructor(
    readonly apiVersion: PortSipApiVersion,
    private readonly stats: SandboxStats,
  ) {}

  /** The next `count` presence writes (status or DND) answer 200 but are not applied. */
  loseNext(count: number): number {
    this.writesToLose += count;
    return this.writesToLose;
  }

  /** `POST /api/user/presence`; an absent note leaves the note as it is (⚠ PortSIP's behaviour is unverified). */
  write(record: UserRecord, chosen: ChosenPresence, note: string | null | undefined): void {
    if (this.loses()) return;
    const presence = this.recordOf(record.user.id);
    presence.chosen = chosen;
    if (note !== undefined) presence.note = note || null;
    presence.writes += 1;
    this.stats.presenceWrites += 1;
    this.logWrite({ userId: record.user.id, at: Date.now(), kind: 'status', value: chosen });
  }

  /** The admin's DND switch (`enable_dnd` in a user update); null restores the default (off). */
  writeDnd(record: UserRecord, enabled: boolean | null): void {
    if (this.loses()) return;
    record.settings = { ...record.settings, enable_dnd: enabled };
    this.recordOf(record.user.id).writes += 1;
    this.stats.dndWrites += 1;
    this.logWrite({ userId: record.user.id, at: Date.now(), kind: 'dnd', value: String(enabled) });
  }

  /** The user picks a presence on their phone: not an API write, so neither counted nor lost. */
  setByHand(record: UserRecord, name: AnyVersionPresenceName, note?: string | null): void {
    const presence = this.recordOf(record.user.id);
    presence.chosen = chosenPresenceOf(name);
    if (note !== undefined) presence.note = note || null;
  }

  setOnCall(record: UserRecord, active: boolean): void {
    this.recordOf(record.user.id).onCall = active;
  }

  view(record: UserRecord): SandboxPresence {
    const presence = this.byUser.get(record.user.id) ?? fresh();
    return {
      presence: this.shownPresence(presence),
      presence_note: presence.note,
      enable_dnd: record.settings.enable_dnd ?? false,
      on_call: presence.onCall,
      writes: presence.writes,
    };
  }

  /** In the sandbox a user is always registered and online; a call in progress shows in place of the choice. */
  statusAnswer(record: UserRecord): PresenceStatusAnswer {
    const presence = this.byUser.get(record.user.id) ?? fresh();
    return {
      status: presence.onCall ? onCallName(this.apiVersion) : 'ONLINE',
      presence: this.shownPresence(presence),
      presence_note: presence.note,
      registration: [],
      enable_dnd: record.settings.enable_dnd ?? false,
      enable_acb: record.settings.enable_acb ?? false,
    };
  }

  /** A deleted user's presence goes with them. */
  forget(userId: string): void {
    this.byUser.delete(userId);
  }

  private shownPresence(presence: PresenceRecord): string {
    return presence.onCall ? onCallName(this.apiVersion) : presenceName(presence.chosen, this.apiVersion);
  }

  private logWrite(entry: PresenceWriteLogEntry): void {
    if (this.stats.presenceWriteLog.length < MAX_PRESENCE_WRITE_LOG) this.stats.presenceWriteLog.push(entry);
    else this.stats.presenceWriteLogDropped += 1;
  }

  private loses(): boolean {
    if (this.writesToLose === 0) return false;
    this.writesToLose -= 1;
    this.stats.presenceWritesLost += 1;
    return true;
  }

  private recordOf(userId: string): PresenceRecord {
    let presence = this.byUser.get(userId);
    if (!presence) this.byUser.set(userId, (presence = fresh()));
    return presence;
  }
}
