import { ChangeLog } from './ChangeLog';
import { SandboxConflictError, SandboxNotFoundError } from './sandboxErrors';
import { GROUP_PROPERTY_NAMES, type SandboxGroup, type SandboxGroupProperties } from './SandboxUser';

interface TrackedGroup {
  id: string;
  props: SandboxGroupProperties;
  /** Current members (users, nested groups, or ids the sandbox does not know), in the order they joined. */
  members: Set<string>;
  /** Each member id with the sequence of its latest join or leave, so a round reports O(changes) entries. */
  memberLog: ChangeLog;
  createdSeq: number;
  propSeq: Map<string, number>;
  membersSeq: number;
  removed?: { seq: number; reason: 'changed' | 'deleted' } | undefined;
  restoredSeq: number;
}

export type GroupPatch = { [K in keyof SandboxGroupProperties]?: SandboxGroupProperties[K] | undefined };

/** One `members@delta` entry: a member that joined (or is in the group, for a full listing) or left. */
export interface GroupMemberEntry {
  id: string;
  /** `@odata.type`; undefined when the sandbox does not know what the id is. */
  type: string | undefined;
  removed: boolean;
}

const USER_TYPE = '#microsoft.graph.user';
const GROUP_TYPE = '#microsoft.graph.group';

export interface GroupTrackerDeps {
  /** Whether a user with this id exists at all (live, soft- or hard-deleted): its member entries then carry a type. */
  isKnownUser(id: string): boolean;
  isLiveUser(id: string): boolean;
}

/**
 * The tenant's groups with change sequences per group property and per membership, so a groups delta round
 * can tell which groups (and which of their members) changed since the round its token came from. Groups
 * that are soft- or hard-deleted are not live: they answer 404 and count as members of nothing.
 */
export class GroupTracker {
  private seq = 0;
  private readonly groups = new Map<string, TrackedGroup>();
  private readonly changes = new ChangeLog();
  /** member id → the groups that list it, for transitiveMemberOf. */
  private readonly parents = new Map<string, Set<string>>();

  constructor(private readonly deps: GroupTrackerDeps) {}

  get sequence(): number {
    return this.seq;
  }

  reset(groups: SandboxGroup[]): void {
    this.groups.clear();
    this.changes.clear();
    this.parents.clear();
    for (const g of groups) this.add(g);
  }

  add(group: SandboxGroup): void {
    if (this.groups.has(group.id)) throw new SandboxConflictError(`group ${group.id} already exists`);
    const seq = this.next(group.id);
    const tracked: TrackedGroup = {
      id: group.id,
      props: {
        displayName: group.displayName,
        groupTypes: [...(group.groupTypes ?? [])],
        securityEnabled: group.securityEnabled ?? true,
        mailEnabled: group.mailEnabled ?? false,
      },
      members: new Set(),
      memberLog: new ChangeLog(),
      createdSeq: seq,
      propSeq: new Map(),
      membersSeq: 0,
      restoredSeq: 0,
    };
    this.groups.set(group.id, tracked);
    for (const memberId of group.memberIds) this.join(tracked, memberId, seq);
  }

  update(id: string, patch: GroupPatch): void {
    const t = this.live(id);
    const seq = this.next(id);
    for (const key of GROUP_PROPERTY_NAMES) {
      const value = patch[key];
      // undefined means "not in this patch".
      if (value === undefined) continue;
      (t.props as unknown as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : value;
      t.propSeq.set(key, seq);
    }
  }

  /** Graph refuses a member that is already there (400 "already exist"), and a group inside itself. */
  addMember(groupId: string, memberId: string): void {
    const t = this.live(groupId);
    if (memberId === groupId) throw new SandboxConflictError(`group ${groupId} cannot be a member of itself`);
    if (t.members.has(memberId)) throw new SandboxConflictError(`${memberId} is already a member of group ${groupId}`);
    this.join(t, memberId, this.next(groupId));
  }

  removeMember(groupId: string, memberId: string): void {
    const t = this.live(groupId);
    if (!t.members.has(memberId)) throw new SandboxNotFoundError(`${memberId} is not a member of group ${groupId}`);
    this.leave(t, memberId, this.next(groupId));
  }

  /** Replaces the member list; only the difference counts as membership changes. */
  setMembers(groupId: string, memberIds: string[]): void {
    const t = this.live(groupId);
    const wanted = new Set(memberIds);
    if (wanted.has(groupId)) throw new SandboxConflictError(`group ${groupId} cannot be a member of itself`);
    const seq = this.next(groupId);
    for (const memberId of [...t.members]) if (!wanted.has(memberId)) this.leave(t, memberId, seq);
    for (const memberId of wanted) if (!t.members.has(memberId)) this.join(t, memberId, seq);
  }

  /** `changed` (soft delete) only for Microsoft 365 groups, as in Entra; security groups are always `deleted`. */
  remove(id: string, reason: 'changed' | 'deleted'): void {
    const t = this.groups.get(id);
    if (!t || t.removed?.reason === 'deleted') throw new SandboxNotFoundError(`no group ${id}`);
    if (t.removed?.reason === reason) throw new SandboxConflictError(`group ${id} is already deleted`);
    if (reason === 'changed' && !t.props.groupTypes.includes('Unified'))
      throw new SandboxConflictError(`group ${id} is not a Microsoft 365 group; only those can be soft-deleted (delete it for good)`);
    t.removed = { seq: this.next(id), reason };
  }

  restore(id: string): void {
    const t = this.groups.get(id);
    if (!t || t.removed?.reason === 'deleted') throw new SandboxNotFoundError(`no group ${id}`);
    if (!t.removed) throw new SandboxConflictError(`group ${id} is not deleted`);
    t.removed = undefined;
    t.restoredSeq = this.next(id);
  }

  isLive(id: string): boolean {
    const t = this.groups.get(id);
    return t !== undefined && !t.removed;
  }

  /** A live group as the sandbox's callers see it (a copy). */
  find(id: string): SandboxGroup | undefined {
    const t = this.groups.get(id);
    return t && !t.removed ? copyOf(t) : undefined;
  }

  liveGroups(): SandboxGroup[] {
    return [...this.groups.values()].filter((t) => !t.removed).map(copyOf);
  }

  /** The group's properties as Graph reports them, with its id; undefined when not live. */
  properties(id: string): (SandboxGroupProperties & { id: string }) | undefined {
    const t = this.groups.get(id);
    return t && !t.removed ? { id, ...t.props } : undefined;
  }

  /** Current removal state, for rendering a round (a group can change while its round is paged). */
  removal(id: string): { reason: 'changed' | 'deleted' } | undefined {
    return this.groups.get(id)?.removed;
  }

  /**
   * The live user ids in a group, in order and without repeats. Direct members skip nested groups (Graph's
   * `/members/microsoft.graph.user` cast drops them); transitive members expand live nested groups,
   * guarding against cycles.
   */
  memberUserIds(groupId: string, transitive: boolean): string[] {
    const out = new Set<string>();
    const visited = new Set<string>([groupId]);
    const walk = (id: string): void => {
      for (const member of this.groups.get(id)?.members ?? []) {
        if (this.groups.has(member)) {
          if (transitive && this.isLive(member) && !visited.has(member)) {
            visited.add(member);
            walk(member);
          }
        } else if (this.deps.isLiveUser(member)) out.add(member);
      }
    };
    walk(groupId);
    return [...out];
  }

  /** Every live group this one is nested in, directly or through others; cycle-safe, without the group itself. */
  ancestorIds(groupId: string): string[] {
    const out: string[] = [];
    const visited = new Set<string>([groupId]);
    const queue = [groupId];
    for (let i = 0; i < queue.length; i += 1) {
      for (const parent of this.parents.get(queue[i]!) ?? []) {
        if (visited.has(parent) || !this.isLive(parent)) continue;
        visited.add(parent);
        out.push(parent);
        queue.push(parent);
      }
    }
    return out;
  }

  /**
   * Group ids for a round: every live group (initial), or groups created, restored, removed, changed in a
   * selected property or (with `members` selected) in membership after `since`.
   */
  idsForRound(since: number | null, select: readonly string[]): string[] {
    if (since === null) return [...this.groups.keys()].filter((id) => this.isLive(id));
    const members = select.includes('members');
    return this.changes.idsChangedAfter(since).filter((id) => {
      const t = this.groups.get(id)!;
      // Created and removed within the window: the client never saw it, so there is nothing to report.
      if (t.removed) return t.removed.seq > since && t.createdSeq <= since;
      return (
        t.createdSeq > since ||
        t.restoredSeq > since ||
        (members && t.membersSeq > since) ||
        select.some((p) => (t.propSeq.get(p) ?? 0) > since)
      );
    });
  }

  /**
   * A live group's `members@delta` for a round: every current member as joined when the client has not seen
   * the group (initial round, created or restored since), else only the members that joined or left since.
   */
  memberEntries(groupId: string, since: number | null): GroupMemberEntry[] {
    const t = this.groups.get(groupId);
    if (!t || t.removed) return [];
    if (since === null || t.createdSeq > since || t.restoredSeq > since)
      return [...t.members].filter((id) => this.isPresent(id)).map((id) => ({ id, type: this.typeOf(id), removed: false }));
    return t.memberLog
      .idsChangedAfter(since)
      .map((id) => ({ id, type: this.typeOf(id), removed: !(t.members.has(id) && this.isPresent(id)) }));
  }

  private isPresent(memberId: string): boolean {
    return this.groups.has(memberId) ? this.isLive(memberId) : this.deps.isLiveUser(memberId);
  }

  private typeOf(memberId: string): string | undefined {
    if (this.groups.has(memberId)) return GROUP_TYPE;
    return this.deps.isKnownUser(memberId) ? USER_TYPE : undefined;
  }

  private join(t: TrackedGroup, memberId: string, seq: number): void {
    t.members.add(memberId);
    this.logMembership(t, memberId, seq);
    let parents = this.parents.get(memberId);
    if (!parents) this.parents.set(memberId, (parents = new Set()));
    parents.add(t.id);
  }

  private leave(t: TrackedGroup, memberId: string, seq: number): void {
    t.members.delete(memberId);
    this.logMembership(t, memberId, seq);
    this.parents.get(memberId)?.delete(t.id);
  }

  private logMembership(t: TrackedGroup, memberId: string, seq: number): void {
    t.memberLog.record(seq, memberId);
    t.membersSeq = seq;
  }

  private live(id: string): TrackedGroup {
    const t = this.groups.get(id);
    if (!t || t.removed) throw new SandboxNotFoundError(`no group ${id}`);
    return t;
  }

  private next(id: string): number {
    this.seq += 1;
    this.changes.record(this.seq, id);
    return this.seq;
  }
}

function copyOf(t: TrackedGroup): SandboxGroup {
  return { id: t.id, ...t.props, groupTypes: [...t.props.groupTypes], memberIds: [...t.members] };
}
