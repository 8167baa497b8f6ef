import { ChangeLog } from './ChangeLog';
import { SandboxConflictError, SandboxNotFoundError } from './sandboxErrors';
import { copyUser, type SandboxUser } from './SandboxUser';

interface Tracked {
  user: SandboxUser;
  createdSeq: number;
  propSeq: Map<string, number>;
  /** `at` (epoch ms) is the deletedDateTime the deleted items show. */
  removed?: { seq: number; reason: 'changed' | 'deleted'; at: number } | undefined;
  restoredSeq: number;
}

/**
 * The tenant's users with a change sequence per property, so a delta round can tell which users changed
 * (in the properties it selected) since the round its token came from.
 */
export class ChangeTracker {
  private seq = 0;
  private readonly users = new Map<string, Tracked>();
  private readonly changes = new ChangeLog();
  // Graph also addresses a user by userPrincipalName (case-insensitively); this keeps that lookup O(1).
  private readonly idByUpn = new Map<string, string>();

  get sequence(): number {
    return this.seq;
  }

  reset(users: SandboxUser[]): void {
    this.users.clear();
    this.changes.clear();
    this.idByUpn.clear();
    for (const u of users) this.add(u);
  }

  add(user: SandboxUser): void {
    if (this.users.has(user.id)) throw new SandboxConflictError(`user ${user.id} already exists`);
    this.claimUpn(user.userPrincipalName, user.id);
    const seq = this.next(user.id);
    this.users.set(user.id, { user: copyUser(user), createdSeq: seq, propSeq: new Map(), restoredSeq: 0 });
  }

  update(id: string, patch: { [K in keyof SandboxUser]?: SandboxUser[K] | undefined }): void {
    const t = this.live(id);
    if (patch.userPrincipalName !== undefined) {
      this.claimUpn(patch.userPrincipalName, id);
      if (patch.userPrincipalName.toLowerCase() !== t.user.userPrincipalName.toLowerCase()) this.forgetUpn(t.user);
    }
    const seq = this.next(id);
    for (const [key, value] of Object.entries(structuredClone(patch))) {
      // undefined means "not in this patch": Graph has no way back to "never set".
      if (key === 'id' || value === undefined) continue;
      (t.user as unknown as Record<string, unknown>)[key] = value;
      t.propSeq.set(key, seq);
    }
  }

  remove(id: string, reason: 'changed' | 'deleted', at: number = Date.now()): void {
    const t = this.users.get(id);
    if (!t || t.removed?.reason === 'deleted') throw new SandboxNotFoundError(`no user ${id}`);
    if (t.removed?.reason === reason) throw new SandboxConflictError(`user ${id} is already deleted`);
    t.removed = { seq: this.next(id), reason, at };
    if (reason === 'deleted') this.forgetUpn(t.user);
  }

  restore(id: string): void {
    const t = this.users.get(id);
    if (!t || t.removed?.reason === 'deleted') throw new SandboxNotFoundError(`no user ${id}`);
    if (!t.removed) throw new SandboxConflictError(`user ${id} is not deleted`);
    t.removed = undefined;
    t.restoredSeq = this.next(id);
  }

  live(id: string): Tracked {
    const t = this.users.get(id);
    if (!t || t.removed) throw new SandboxNotFoundError(`no user ${id}`);
    return t;
  }

  isLive(id: string): boolean {
    const t = this.users.get(id);
    return t !== undefined && !t.removed;
  }

  find(id: string): Tracked | undefined {
    return this.users.get(id);
  }

  /** A live user by object id or userPrincipalName. */
  findLive(idOrUpn: string): SandboxUser | undefined {
    const t = this.users.get(idOrUpn) ?? this.users.get(this.idByUpn.get(idOrUpn.toLowerCase()) ?? '');
    return t && !t.removed ? t.user : undefined;
  }

  /** Users deleted and still restorable (the directory's deleted items), oldest id first for stable paging. */
  softDeleted(): { user: SandboxUser; deletedAt: number }[] {
    return [...this.users.values()]
      .filter((t) => t.removed?.reason === 'changed')
      .map((t) => ({ user: t.user, deletedAt: t.removed!.at }))
      .sort((a, b) => (a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0));
  }

  /** One soft-deleted user by object id, or undefined when it is live, purged or unknown. */
  findSoftDeleted(id: string): { user: SandboxUser; deletedAt: number } | undefined {
    const t = this.users.get(id);
    return t?.removed?.reason === 'changed' ? { user: t.user, deletedAt: t.removed.at } : undefined;
  }

  liveUsers(): SandboxUser[] {
    return [...this.users.values()].filter((t) => !t.removed).map((t) => t.user);
  }

  /** Ids for a round: every live user (initial), or users whose selected properties changed after `since`. */
  idsForRound(since: number | null, select: readonly string[]): string[] {
    if (since === null) return [...this.users.keys()].filter((id) => this.isLive(id));
    return this.changes.idsChangedAfter(since).filter((id) => {
      const t = this.users.get(id)!;
      // Created and removed within the window: the client never saw it, so there is nothing to report.
      if (t.removed) return t.removed.seq > since && t.createdSeq <= since;
      return t.createdSeq > since || t.restoredSeq > since || select.some((p) => (t.propSeq.get(p) ?? 0) > since);
    });
  }

  private next(id: string): number {
    this.seq += 1;
    this.changes.record(this.seq, id);
    return this.seq;
  }

  /**
   * Graph refuses a second object with the same userPrincipalName; the sandbox stays lenient (data sets from
   * different seeds may be mixed in one tenant) and lets the latest holder answer a UPN lookup.
   */
  private claimUpn(upn: string, id: string): void {
    this.idByUpn.set(upn.toLowerCase(), id);
  }

  private forgetUpn(user: SandboxUser): void {
    const key = user.userPrincipalName.toLowerCase();
    if (this.idByUpn.get(key) === user.id) this.idByUpn.delete(key);
  }
}
