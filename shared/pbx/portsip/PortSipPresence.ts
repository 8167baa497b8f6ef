import { AppError, isAppError } from '../../core/errors/AppError';
import { type PbxAccount } from '../ports/PbxAccount';
import { type PbxPresence } from '../ports/PbxPresence';
import { type PbxPresenceChanges } from '../ports/PbxPresenceChanges';
import { type PbxPresenceReading, type PbxPresenceStatus } from '../ports/PbxPresenceState';
import { noUserAccess } from '../ports/PortalPasswords';
import { type PortSipCalls } from './PortSipApi';
import { PortSipUserStatusSchema } from './portSipSchemas';
import { type PortSipUserSessions } from './PortSipUserSessions';

/** PortSIP's limit on `presence_note`. */
const NOTE_MAX = 128;

/** The name PortSIP gives "available": AVAILABLE before v22.3, ONLINE from v22.3 on. */
type AvailableName = 'AVAILABLE' | 'ONLINE';

/** Every presence a user can choose, by PortSIP's name; call, ringing and offline states are not a choice. */
const STATUS_OF_PRESENCE: Readonly<Record<string, PbxPresenceStatus>> = {
  DO_NOT_DISTURB: 'doNotDisturb',
  AVAILABLE: 'available',
  ONLINE: 'available',
  AWAY: 'away',
  BUSINESS_TRIP: 'businessTrip',
  LUNCH: 'lunch',
};

/** The name of a status other than available (the same in every v22 version). */
const PRESENCE_OF_STATUS: Record<Exclude<PbxPresenceStatus, 'available'>, string> = {
  doNotDisturb: 'DO_NOT_DISTURB',
  away: 'AWAY',
  businessTrip: 'BUSINESS_TRIP',
  lunch: 'LUNCH',
};

/** `status` values of a call in progress: ON_CALL before v22.3, OTHER_CALL from v22.3 on. */
const CALL_STATUSES: ReadonlySet<string> = new Set(['ON_CALL', 'OTHER_CALL']);
/** `presence` values of a call in progress or ringing (RINGING from v22.3 on). */
const CALL_PRESENCES: ReadonlySet<string> = new Set(['ON_CALL', 'OTHER_CALL', 'RINGING']);

const id = (value: string) => encodeURIComponent(value);

/** The status a PortSIP presence name stands for; undefined for a call, ringing, offline or unknown state. */
const statusOf = (presence: string | null | undefined): PbxPresenceStatus | undefined =>
  presence && Object.hasOwn(STATUS_OF_PRESENCE, presence) ? STATUS_OF_PRESENCE[presence] : undefined;

/** At most NOTE_MAX UTF-16 units (what a JSON string's length is), without splitting a surrogate pair. */
function cutNote(note: string): string {
  if (note.length <= NOTE_MAX) return note;
  const cut = note.slice(0, NOTE_MAX);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/**
 * The PortSIP v22 adapter of the PbxPresence port. The admin reads any user's presence
 * (`GET /api/users/{id}/status`) and sets their DND switch (`enable_dnd` on the user update), but only the user
 * sets their own status and note (`POST /api/user/presence`), so those go through a session as the user, which
 * fails with NoUserAccess for a user the connector cannot act as — and for every user when the connection
 * keeps no portal passwords. v22.3 renamed AVAILABLE to ONLINE: the adapter tries AVAILABLE, falls back to
 * ONLINE on a 400, and remembers which one this PBX took.
 */
export class PortSipPresence implements PbxPresence {
  /** Learned from the PBX's answers; until then AVAILABLE is tried first. */
  private availableName: AvailableName | undefined;

  constructor(
    private readonly admin: PortSipCalls,
    private readonly sessions: PortSipUserSessions | undefined,
  ) {}

  async getPresence(account: PbxAccount): Promise<PbxPresenceReading> {
    const shown = await this.admin.read(PortSipUserStatusSchema, 'GET', `/users/${id(account.id)}/status`, {
      what: `reading the presence of user ${account.id}`,
      subject: account.userName,
    });
    return { doNotDisturb: shown.enable_dnd, status: statusOf(shown.presence), statusNote: shown.presence_note };
  }

  async callStatus(account: PbxAccount): Promise<'onCall' | 'idle' | 'unknown'> {
    const shown = await this.admin.read(PortSipUserStatusSchema, 'GET', `/users/${id(account.id)}/status`, {
      what: `reading the call status of user ${account.id}`,
      subject: account.userName,
    });
    // Either field may carry the call (they are filled differently across versions): one is enough.
    if ((shown.status && CALL_STATUSES.has(shown.status)) || (shown.presence && CALL_PRESENCES.has(shown.presence))) return 'onCall';
    // An offline phone says nothing about a call it may have elsewhere (a mobile, a forward).
    if (shown.status === 'OFFLINE') return 'unknown';
    return 'idle';
  }

  async setPresence(account: PbxAccount, changes: PbxPresenceChanges): Promise<void> {
    const { doNotDisturb, status, statusNote } = changes;
    // The admin's write first: when the user's own write then fails (NoUserAccess), DND has still landed.
    if (doNotDisturb !== undefined)
      await this.admin.call('POST', `/users/${id(account.id)}`, {
        what: `setting do-not-disturb of user ${account.id}`,
        subject: account.userName,
        body: { enable_dnd: doNotDisturb },
      });
    if (status === undefined && statusNote === undefined) return;
    const api = this.userApi(account);
    // PortSIP sets presence and note together: a note alone is sent with the status the user has now.
    const chosen = status ?? (await this.currentStatus(api, account));
    await this.writeStatus(api, account, chosen, statusNote === undefined ? undefined : cutNote(statusNote));
  }

  private userApi(account: PbxAccount): PortSipCalls {
    if (this.sessions) return this.sessions.apiFor(account);
    // The same refusal the sessions give a user without a kept password: here none is kept for anyone.
    throw noUserAccess(
      'noPasswordKept',
      `PortSIP: cannot act as user ${account.userName}: the connector keeps no portal passwords for this PBX, so it cannot sign in as any user`,
    );
  }

  private async currentStatus(api: PortSipCalls, account: PbxAccount): Promise<PbxPresenceStatus> {
    const shown = await api.read(PortSipUserStatusSchema, 'GET', '/user/status', {
      what: `reading the presence of user ${account.userName}`,
    });
    const status = statusOf(shown.presence);
    if (status) return status;
    // On a call (or ringing, offline) the chosen status is hidden: sending a guess would overwrite the user's choice.
    throw new AppError(
      'TRANSIENT',
      `PortSIP: cannot set the status note of user ${account.userName} alone while PortSIP shows ${shown.presence ?? 'no presence'} instead of their status; retry later`,
      { retryAfterMs: 60_000 },
    );
  }

  private async writeStatus(api: PortSipCalls, account: PbxAccount, status: PbxPresenceStatus, note: string | undefined): Promise<void> {
    const send = (presence: string) =>
      api.call('POST', '/user/presence', {
        what: `setting the presence of user ${account.userName}`,
        body: note === undefined ? { presence } : { presence, presence_note: note },
      });
    if (status !== 'available') {
      await send(PRESENCE_OF_STATUS[status]);
      return;
    }
    const first = this.availableName ?? 'AVAILABLE';
    try {
      await send(first);
      this.availableName = first;
    } catch (err) {
      // A 400 is the PBX refusing the name of the other API version (⚠ its exact answer is unverified): try that one.
      if (!isAppError(err, 'INVALID') || err.upstreamStatus !== 400) throw err;
      const other: AvailableName = first === 'AVAILABLE' ? 'ONLINE' : 'AVAILABLE';
      await send(other);
      this.availableName = other;
    }
  }
}
