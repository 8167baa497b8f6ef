import { SandboxConflictError, SandboxNotFoundError } from './sandboxErrors';
import { copyUser, SandboxUser } from './SandboxUser';

interface Tracked {
  user: SandboxUser;
  createdSeq: number;
  propSeq: Map<string, number>;
  removed?: { seq: number; reason: 'changed' | 'deleted' };
  restoredSeq: number;
}

/**
 * The tenant's users with a change sequence per property, so a delta round can tell which users changed
 * (in the properties it selected) since the round its token came from.
 */
export class ChangeTracker {
  private seq = 0;
  private readonly users = new Map<string, Tracked>();

  get sequence(): number {
    return this.seq;
  }

  reset(users: SandboxUser[]): void {
    this.users.clear();
    for (const u of users) this.add(u);
  }

  add(user: SandboxUser): void {
    if (this.users.has(user.id)) throw new SandboxConflictError(`user ${user.id} already exists`);
    const seq = ++this.seq;
    this.users.set(user.id, { user: copyUser(user), createdSeq: seq, propSeq: new Map(), restoredSeq: 0 });
  }

  update(id: string, patch: Partial<SandboxUser>): void {
    const t = this.live(id);
    const seq = ++this.seq;
    for (const [key, value] of Object.entries(structuredClone(patch))) {
      if (key === 'id') continue;
      (t.user as unknown as Record<string, unknown>)[key] = value;
      t.propSeq.set(key, seq);
    }
  }

  remove(id: string, reason: 'changed' | 'deleted'): void {
    const t = this.users.get(id);
    if (!t || t.removed?.reason === 'deleted') throw new SandboxNotFoundError(`no user ${id}`);
    if (t.removed?.reason === reason) throw new SandboxConflictError(`user ${id} is already deleted`);
    t.removed = { seq: ++this.seq, reason };
  }

  restore(id: string): void {
    const t = this.users.get(id);
    if (!t || t.removed?.reason === 'deleted') throw new SandboxNotFoundError(`no user ${id}`);
    if (!t.removed) throw new SandboxConflictError(`user ${id} is not deleted`);
    t.removed = undefined;
    t.restoredSeq = ++this.seq;
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

  liveUsers(): SandboxUser[] {
    return [...this.users.values()].filter((t) => !t.removed).map((t) => t.user);
  }

  /** Ids for a round: every live user (initial), or users whose selected properties changed after `since`. */
  idsForRound(since: number | null, select: string[]): string[] {
    const ids: string[] = [];
    for (const [id, t] of this.users) {
      if (since === null) {
        if (!t.removed) ids.push(id);
        continue;
      }
      if (t.removed) {
        if (t.removed.seq > since && t.createdSeq <= since) ids.push(id);
        continue;
      }
      if (t.createdSeq > since || t.restoredSeq > since || select.some((p) => (t.propSeq.get(p) ?? 0) > since)) ids.push(id);
    }
    return ids;
  }
}
