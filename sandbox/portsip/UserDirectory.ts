import { type BlobFile } from './BlobStore';
import { CreationOrder } from './CreationOrder';
import { type Paging } from './parsePaging';
import { type UserFilter } from './parseUserFilter';
import { type SandboxPbxUser } from './SandboxPbxUser';
import { type UserSettings } from './userSettings';

/** A stored extension: what tests see, plus the call settings only the REST detail view shows. */
export interface UserRecord {
  readonly user: SandboxPbxUser;
  settings: UserSettings;
  /**
   * The portal and SIP passwords given at creation. PortSIP v22.3+ returns both in `GET /api/users/{id}`, so
   * the sandbox does too: a client must not let them reach its logs, errors or records. (Absent for users an
   * administrator added by hand through the sandbox's own API.)
   */
  passwords?: { password: string; extension_password: string } | undefined;
  /** Set by the sandbox's control switch: sign-in works, but `/api/user/*` answers 403 until the password changes. */
  forcePasswordReset?: boolean;
  /** Set by the sandbox's control switch: sign-in answers `{two_factor_enabled, token}` instead of tokens. */
  twoFactor?: boolean;
  /** The picture the user set through `POST /api/user {avatar_file_id}`. */
  avatar?: BlobFile | undefined;
}

const fold = (text: string) => text.toLowerCase();

/**
 * The tenant's extensions, indexed by id, name and email (case-insensitive) and extension number, and kept in
 * creation order, so every REST call costs O(page) even with 100,000 users.
 */
export class UserDirectory {
  private readonly byId = new Map<string, UserRecord>();
  private readonly byName = new Map<string, UserRecord>();
  private readonly byExtension = new Map<string, UserRecord>();
  // ⚠ Emails may repeat: whether PortSIP refuses a duplicate email is undocumented, so the sandbox allows it.
  private readonly byEmail = new Map<string, Set<UserRecord>>();
  private readonly order = new CreationOrder<UserRecord>();
  private readonly sequence = new Map<UserRecord, number>();
  private nextSequence = 0;

  get size(): number {
    return this.order.size;
  }

  get(id: string): UserRecord | undefined {
    return this.byId.get(id);
  }

  withName(name: string): UserRecord | undefined {
    return this.byName.get(fold(name));
  }

  withExtension(extensionNumber: string): UserRecord | undefined {
    return this.byExtension.get(extensionNumber);
  }

  add(record: UserRecord): void {
    const { user } = record;
    this.byId.set(user.id, record);
    this.byName.set(fold(user.name), record);
    this.byExtension.set(user.extension_number, record);
    this.indexEmail(record);
    this.order.add(record);
    this.sequence.set(record, (this.nextSequence += 1));
  }

  remove(record: UserRecord): void {
    const { user } = record;
    this.byId.delete(user.id);
    this.byName.delete(fold(user.name));
    this.byExtension.delete(user.extension_number);
    this.unindexEmail(record);
    this.order.remove(record);
    this.sequence.delete(record);
  }

  changeEmail(record: UserRecord, email: string): void {
    this.unindexEmail(record);
    record.user.email = email;
    this.indexEmail(record);
  }

  /** One page in creation order, and the total; a filter is answered from its index. */
  page(paging: Paging, filter?: UserFilter): { count: number; items: UserRecord[] } {
    if (!filter) return { count: this.size, items: this.order.slice(paging.skip, paging.top) };
    const matches = this.matching(filter);
    return { count: matches.length, items: matches.slice(paging.skip, paging.skip + paging.top) };
  }

  all(): UserRecord[] {
    return this.order.values();
  }

  private matching(filter: UserFilter): UserRecord[] {
    if (filter.field === 'name') return optional(this.withName(filter.value));
    if (filter.field === 'extension_number') return optional(this.withExtension(filter.value));
    const records = [...(this.byEmail.get(fold(filter.value)) ?? [])];
    return records.sort((a, b) => this.sequence.get(a)! - this.sequence.get(b)!);
  }

  private indexEmail(record: UserRecord): void {
    const key = fold(record.user.email);
    const set = this.byEmail.get(key) ?? new Set<UserRecord>();
    set.add(record);
    this.byEmail.set(key, set);
  }

  private unindexEmail(record: UserRecord): void {
    const key = fold(record.user.email);
    const set = this.byEmail.get(key);
    set?.delete(record);
    if (set?.size === 0) this.byEmail.delete(key);
  }
}

const optional = <T>(value: T | undefined): T[] => (value === undefined ? [] : [value]);
