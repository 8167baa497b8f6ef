import { BlobStore } from './BlobStore';
import { BUILT_IN_ROLES } from './builtInRoles';
import { ContactBook } from './ContactBook';
import { disabledEventTarget, type EventTarget } from './eventTargetBodies';
import { GroupDirectory } from './GroupDirectory';
import { NumberHolders, type NumberHolderType } from './NumberHolders';
import { type PasswordPolicy, SANDBOX_PASSWORD_POLICY } from './passwordRules';
import { Providers } from './Providers';
import { ResourceIds } from './ResourceIds';
import { type SessionTokens } from './SessionTokens';
import { type UserRecord, UserDirectory } from './UserDirectory';
import { type UserPresences } from './UserPresences';

export interface TenantAdmin {
  username: string;
  password: string;
  domain: string;
}

/** `GET /api/extension_numbers/{n}`: whoever owns a number. */
export interface NumberOwner {
  id: string;
  extension_number: string;
  name: string;
  type: 'EXTENSION' | NumberHolderType;
}

/** Told when a call starts (true) or ends (false) on a user's phone. */
export type CallObserver = (record: UserRecord, active: boolean) => void;

// System-admin names, refused for any user (reference/portsip.md §1).
const RESERVED_NAMES = new Set(['admin', 'system', 'administrator', 'root']);

/**
 * Everything one sandbox tenant holds: its admin, sessions, extensions, user groups, number holders, policy,
 * company contacts, each user's personal contacts and presence, and uploaded files.
 */
export class PbxTenant {
  readonly users = new UserDirectory();
  readonly holders = new NumberHolders();
  readonly groups = new GroupDirectory();
  readonly ids = new ResourceIds();
  readonly providers = new Providers();
  readonly companyContacts = new ContactBook();
  readonly blobs = new BlobStore(this.ids);
  private readonly personalBooks = new Map<string, ContactBook>();
  passwordPolicy: PasswordPolicy = { ...SANDBOX_PASSWORD_POLICY };
  /** Webhook and WSI `tenant_id`s are numeric strings (reference/portsip.md §8), unlike the base64 REST ids. */
  readonly id = '883611252155219968';
  name = 'Sandbox Company';
  /** Where the PBX posts CDR and extension events (`cdr_event`, `extension_event` of `/api/tenant`), secrets included. */
  eventTargets: { cdr_event: EventTarget; extension_event: EventTarget } = {
    cdr_event: disabledEventTarget(),
    extension_event: disabledEventTarget(),
  };
  private readonly callObservers: CallObserver[] = [];

  constructor(
    readonly admin: TenantAdmin,
    readonly tokens: SessionTokens,
    readonly presences: UserPresences,
  ) {}

  observeCalls(observer: CallObserver): void {
    this.callObservers.push(observer);
  }

  /** A call starts or ends on the user's phone; observers hear only of a change, as the PBX reports only changes. */
  setOnCall(record: UserRecord, active: boolean): void {
    const changed = this.presences.view(record).on_call !== active;
    this.presences.setOnCall(record, active);
    if (changed) for (const observer of this.callObservers) observer(record, active);
  }

  numberOwner(extensionNumber: string): NumberOwner | undefined {
    const record = this.users.withExtension(extensionNumber);
    if (record) return { id: record.user.id, extension_number: extensionNumber, name: record.user.name, type: 'EXTENSION' };
    const holder = this.holders.withNumber(extensionNumber);
    return holder && { id: holder.id, extension_number: extensionNumber, name: holder.name, type: holder.type };
  }

  /** A user's own phonebook (`/api/user/contacts`), made on first use. */
  personalContactsOf(userId: string): ContactBook {
    let book = this.personalBooks.get(userId);
    if (!book) this.personalBooks.set(userId, (book = new ContactBook()));
    return book;
  }

  /** A deleted user takes their sessions and personal contacts along. */
  removeUser(record: UserRecord): void {
    this.users.remove(record);
    this.tokens.signOutUser(record.user.id);
    this.personalBooks.delete(record.user.id);
    this.presences.forget(record.user.id);
  }

  isReservedName(name: string): boolean {
    return RESERVED_NAMES.has(name.toLowerCase());
  }

  /** Names are unique per tenant, case-insensitively; the signed-in admin's own account name counts too. */
  nameTaken(name: string): boolean {
    return this.users.withName(name) !== undefined || name.toLowerCase() === this.admin.username.toLowerCase();
  }

  roleExists(role: string): boolean {
    return BUILT_IN_ROLES.some((r) => r.name === role);
  }
}
