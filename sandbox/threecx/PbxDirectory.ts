import { randomBytes, randomInt } from 'node:crypto';
import { fieldWarning, numberInUse } from './XapiError';

/** A user (extension) as tests see it: a copy of what the PBX holds, without its secrets. */
export interface SimUser {
  id: number;
  number: string;
  firstName: string;
  lastName: string;
  displayName: string;
  email: string;
  /** null when the PBX never had one (the messy seed has such a user). */
  mobile: string | null;
  outboundCallerId: string;
  enabled: boolean;
  tags: string[];
  primaryGroupId: number;
}

/** A company-phonebook contact, with the spec's field names. */
export interface SimContact {
  Id: number;
  FirstName: string;
  LastName: string;
  CompanyName: string;
  Department: string;
  Title: string;
  Email: string;
  PhoneNumber: string;
  Mobile2: string;
  Home: string;
  Business: string;
  Business2: string;
  BusinessFax: string;
  Other: string;
  Pager: string;
  Tag: string;
  ContactType: string;
}

export type NonUserDnType = 'RingGroup' | 'Queue' | 'Ivr' | 'Fax' | 'Parking';

export interface Membership {
  groupId: number;
  roleName: string;
}

export interface UserRecord extends SimUser {
  language: string;
  groups: Membership[];
  /** Whether DisplayName still follows the names (3CX derives it when a client does not send one ⚠). */
  derivedDisplayName: boolean;
  secrets: { authId: string; authPassword: string; vmPin: string; deskphonePassword: string; provLink: string };
}

export interface DnRecord {
  id: number;
  number: string;
  name: string;
  /** Pbx.PeerType */
  type: string;
}

export interface GroupRecord {
  id: number;
  number: string;
  name: string;
  isDefault: boolean;
}

const PEER_TYPES: Record<NonUserDnType, string> = { RingGroup: 'RingGroup', Queue: 'Queue', Ivr: 'IVR', Fax: 'Fax', Parking: 'Parking' };

function secret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Fresh credentials like the ones 3CX generates for every new extension (and leaks without `$select`). */
export function newSecrets(number: string): UserRecord['secrets'] {
  return {
    authId: secret(6),
    authPassword: secret(9),
    vmPin: String(randomInt(0, 10_000)).padStart(4, '0'),
    deskphonePassword: secret(6),
    provLink: `https://sandbox.3cx.local/provisioning/${secret(12)}/${number}`,
  };
}

export function derivedName(firstName: string, lastName: string): string {
  return `${firstName} ${lastName}`.trim();
}

/** Everything the PBX holds: DNs (users, other DNs, the API client), departments, company contacts, settings. */
export class PbxDirectory {
  readonly users = new Map<number, UserRecord>();
  readonly otherDns = new Map<number, DnRecord>();
  readonly groups = new Map<number, GroupRecord>();
  readonly contacts = new Map<number, SimContact>();
  nativeM365Sync = false;
  private nextDnId = 28;
  private nextContactId = 1;

  constructor(public extensionLength: number) {
    // ⚠ The default department's Id and Number are unverified; S-SYNC only shows it is found by IsDefault.
    this.groups.set(1, { id: 1, number: 'GRP0000', name: 'DEFAULT', isDefault: true });
  }

  get defaultGroup(): GroupRecord {
    return [...this.groups.values()].find((g) => g.isDefault)!;
  }

  newDnId(): number {
    this.nextDnId += 1;
    return this.nextDnId;
  }

  newContactId(): number {
    return this.nextContactId++;
  }

  userByNumber(number: string): UserRecord | undefined {
    return [...this.users.values()].find((u) => u.number === number);
  }

  /** Whoever holds this number: a user, a ring group, an IVR, the API client… */
  dnByNumber(number: string): DnRecord | undefined {
    const user = this.userByNumber(number);
    if (user) return { id: user.id, number: user.number, name: user.displayName, type: 'Extension' };
    return [...this.otherDns.values()].find((d) => d.number === number);
  }

  /** Every DN as Pbx.Peer sees them, in Id order. */
  allDns(): DnRecord[] {
    const users = [...this.users.values()].map((u) => ({ id: u.id, number: u.number, name: u.displayName, type: 'Extension' }));
    return [...users, ...this.otherDns.values()].sort((a, b) => a.id - b.id);
  }

  addOtherDn(number: string, type: NonUserDnType | 'ApiClient', name: string): DnRecord {
    if (this.dnByNumber(number)) throw new Error(`the number ${number} is already in use`);
    // ⚠ The Peer type of an API client's DN is unknown; 'None' keeps it from looking like a user.
    const record = { id: this.newDnId(), number, name, type: type === 'ApiClient' ? 'None' : PEER_TYPES[type] };
    this.otherDns.set(record.id, record);
    return record;
  }

  /**
   * A number a client wants for a new user: digits only, exactly ENL long, held by no DN.
   * ⚠ The warning text for a malformed number is unverified (WARNINGS.XAPI.INVALID is the family's pattern).
   */
  checkNewNumber(number: string): void {
    if (!/^\d+$/.test(number) || number.length !== this.extensionLength) throw fieldWarning('Number', 'WARNINGS.XAPI.INVALID');
    if (this.dnByNumber(number)) throw numberInUse();
  }

  /**
   * The lowest free number of ENL digits, from 10…0 up. ⚠ Where 3CX starts counting (and whether it honours a
   * department's UserNumberFrom) is unverified.
   */
  firstFreeNumber(): string | undefined {
    for (let n = 10 ** (this.extensionLength - 1); n < 10 ** this.extensionLength; n += 1) {
      if (!this.dnByNumber(String(n))) return String(n);
    }
    return undefined;
  }
}
