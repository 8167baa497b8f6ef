import { AppError } from '../../core/errors/AppError';
import { type PbxUser } from '../../pbx/ports/PbxClient';
import { type PbxProfile } from '../../pbx/ports/PbxProfile';

/**
 * A run's picture of the PBX, loaded once when a run may create or adopt users: which numbers and account
 * names are taken and which unlinked extensions could be adopted by email. Planning claims numbers, names
 * and adoptions in it so two users of one run never get the same one.
 */
export class PbxDirectory {
  private readonly usedNumbers = new Set<string>();
  private readonly userNames = new Set<string>();
  private readonly adoptableByEmail = new Map<string, PbxUser[]>();
  private nextCandidate: bigint | undefined;

  constructor(
    private readonly profile: PbxProfile,
    users: Iterable<PbxUser>,
    nonUserNumbers: Iterable<string>,
    linkedPbxUserIds: ReadonlySet<string>,
  ) {
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

  claimNumber(n: string): void {
    this.usedNumbers.add(n);
  }

  /** The next number ≥ start that nothing on the PBX (or earlier in this run) uses. */
  allocateFrom(start: string): string {
    const first = BigInt(start);
    if (this.nextCandidate === undefined || this.nextCandidate < first) this.nextCandidate = first;
    // Numbers grow no longer than 13 digits (or the start's length) even where the product allows more.
    const maxLength = Math.min(this.profile.extensionNumbers.maxLength, Math.max(start.length, 13));
    while (this.usedNumbers.has(this.nextCandidate.toString())) this.nextCandidate += 1n;
    const number = this.nextCandidate.toString();
    if (number.length > maxLength) throw new AppError('INVALID', `no free extension number left after ${start}`);
    this.usedNumbers.add(number);
    this.nextCandidate += 1n;
    return number;
  }

  /** Takes (once) an unlinked PBX user with this email, for adopt-by-email. */
  claimByEmail(email: string): PbxUser | undefined {
    const list = this.adoptableByEmail.get(email.toLowerCase());
    const user = list?.shift();
    if (list && list.length === 0) this.adoptableByEmail.delete(email.toLowerCase());
    return user;
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
