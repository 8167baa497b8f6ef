import { AppError } from '../../core/errors/AppError';
import { type PbxUser } from '../../pbx/ports/PbxClient';
import { type PbxProfile } from '../../pbx/ports/PbxProfile';
import { type QuarantinedNumber } from '../../engine/NumberQuarantineStore';

/** A number in quarantine as planning sees it: until when, and for whom (that user may have it back). */
export type QuarantineHold = Pick<QuarantinedNumber, 'number' | 'releaseAt' | 'objectId'>;

/** What adopt-by-email found for an address: the one unlinked user to adopt, or several (adopt none). */
export type EmailClaim = { kind: 'adopt'; user: PbxUser } | { kind: 'ambiguous'; extensionNumbers: string[] };

/**
 * A run's picture of the PBX, loaded once when a run may create or adopt users: which numbers and account
 * names are taken and which unlinked extensions could be adopted by email. Planning claims numbers, names
 * and adoptions in it so two users of one run never get the same one.
 */
export class PbxDirectory {
  private readonly usedNumbers = new Set<string>();
  private readonly userNames = new Set<string>();
  private readonly adoptableByEmail = new Map<string, PbxUser[]>();
  /** Numbers freed by a delete and not yet released: taken for everyone but the user who held them. */
  private readonly quarantined = new Map<string, QuarantineHold>();
  private nextCandidate: bigint | undefined;

  constructor(
    private readonly profile: PbxProfile,
    users: Iterable<PbxUser>,
    nonUserNumbers: Iterable<string>,
    linkedPbxUserIds: ReadonlySet<string>,
    /** The tenant's active quarantine (see NumberQuarantineStore.activeNumbers). */
    quarantined: Iterable<QuarantineHold> = [],
  ) {
    for (const hold of quarantined) this.quarantined.set(hold.number, hold);
    for (const n of nonUserNumbers) this.usedNumbers.add(n);
    for (const user of users) {
      this.usedNumbers.add(user.extensionNumber);
      this.userNames.add(user.userName.toLowerCase());
      if (linkedPbxUserIds.has(user.id) || !user.email) continue;
      const key = user.email.toLowerCase();
      const list = this.adoptableByEmail.get(key) ?? [];
      list.push(user);
      this.adoptableByEmail.set(key, list);
    }
  }

  isNumberUsed(n: string): boolean {
    return this.usedNumbers.has(n);
  }

  /**
   * The quarantine that keeps `n` from this user, or undefined when it does not: the number is not
   * quarantined, or was freed by this same Entra user (`objectId`), who may have it back.
   */
  quarantineOf(n: string, objectId: string): QuarantineHold | undefined {
    const hold = this.quarantined.get(n);
    if (!hold || (hold.objectId && hold.objectId.toLowerCase() === objectId.toLowerCase())) return undefined;
    return hold;
  }

  claimNumber(n: string): void {
    this.usedNumbers.add(n);
  }

  /** The next number ≥ start that nothing on the PBX (or earlier in this run) uses and no quarantine holds. */
  allocateFrom(start: string): string {
    const first = BigInt(start);
    if (this.nextCandidate === undefined || this.nextCandidate < first) this.nextCandidate = first;
    // Numbers grow no longer than 13 digits (or the start's length) even where the product allows more.
    const maxLength = Math.min(this.profile.extensionNumbers.maxLength, Math.max(start.length, 13));
    while (this.usedNumbers.has(this.nextCandidate.toString()) || this.quarantined.has(this.nextCandidate.toString()))
      this.nextCandidate += 1n;
    const number = this.nextCandidate.toString();
    if (number.length > maxLength) throw new AppError('INVALID', `no free extension number left after ${start}`);
    this.usedNumbers.add(number);
    this.nextCandidate += 1n;
    return number;
  }

  /**
   * Takes (once) the unlinked PBX user with this email, for adopt-by-email. When several unlinked users
   * share the address the match is ambiguous: none is taken, and every later claim of the run (any batch)
   * answers the same, so neither is ever adopted by guesswork. `undefined`: no unlinked user has it.
   */
  claimByEmail(email: string): EmailClaim | undefined {
    const key = email.toLowerCase();
    const list = this.adoptableByEmail.get(key);
    if (!list || list.length === 0) return undefined;
    if (list.length > 1) return { kind: 'ambiguous', extensionNumbers: list.map((u) => u.extensionNumber) };
    this.adoptableByEmail.delete(key);
    return { kind: 'adopt', user: list[0]! };
  }

  /** An account name derived from the address's local part, within the product's rule and unique on the PBX. */
  claimUserName(email: string, extensionNumber: string): string {
    const rule = this.profile.accountNames;
    let base = email
      .split('@')[0]!
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9_\-'.]/g, '')
      .replace(/^\.+|\.+$/g, '');
    // Room for the `_<number>` suffix a clash adds (13 digits at most, see allocateFrom).
    base = base
      .slice(0, rule.maxLength - 14)
      .replace(/\.+$/, '')
      .toLowerCase();
    if (!base || rule.reserved.includes(base)) base = `ext${extensionNumber}`;
    let name = base;
    if (this.userNames.has(name)) name = `${base}_${extensionNumber}`;
    for (let i = 2; this.userNames.has(name); i += 1) name = `${base}_${extensionNumber}_${i}`;
    this.userNames.add(name);
    return name;
  }
}
