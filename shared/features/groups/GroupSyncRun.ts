import { isAppError } from '../../core/errors/AppError';
import { ensureError } from '../../core/errors/ensureError';
import { isRetryable } from '../../core/errors/isRetryable';
import { emptyFeatureRunResult, type FeatureRunResult } from '../../engine/FeatureRunResult';
import { type GroupLink } from '../../engine/GroupLinkStore';
import { MAX_RUN_ISSUES, type RunCounts, type RunIssue } from '../../engine/RunStore';
import { runEachOrThrow } from '../../engine/runWithConcurrency';
import { type PbxGroups } from '../../pbx/ports/PbxGroups';
import { type FeatureContext } from '../Feature';
import { type CollectedGroup, type CollectedRound, transitiveUsers } from '../../engine/collectGroupsRound';
import { type GroupSyncOptions } from './groupsOptions';
import { isGroupInScope } from './isGroupInScope';
import { applyLinkEvents } from './applyLinkEvents';
import { type DesiredMembers, type MembershipPlan, membersHash, planMembership } from './planMembership';
import { pbxGroupName } from './pbxGroupName';

/** What a run did to one group, the strongest outcome winning (a group created and then filled is `created`). */
type GroupOutcome = 'failed' | 'deleted' | 'unlinked' | 'created' | 'updated' | 'unchanged' | 'outOfScope';
const STRENGTH: GroupOutcome[] = ['outOfScope', 'unchanged', 'updated', 'created', 'unlinked', 'deleted', 'failed'];

/** A planned write, as a dry run lists it. */
export type GroupAction =
  | { kind: 'create'; groupId: string; name: string }
  | { kind: 'rename'; groupId: string; pbxGroupId: string; name: string }
  | { kind: 'delete' | 'unlink'; groupId: string; pbxGroupId?: string | undefined; reason: 'deleted' | 'outOfScope' }
  | { kind: 'members'; groupId: string; add: string[]; remove: string[] };

/** Beyond this many users to look up, listing every link is cheaper than point reads. */
const POINT_READ_LIMIT = 100;
/** Groups applied side by side in one run. */
const GROUP_CONCURRENCY = 4;
const DESCRIPTION = 'Synced from Microsoft 365 by the connector: members and name follow the Entra group.';

/**
 * One groups run after its round was read: what it knows (links, the PBX's group names, linked users) and
 * what it did (an outcome per group). Everything it writes is keyed by the Entra group, so a replay after
 * a crash converges instead of creating a second group.
 */
export class GroupSyncRun {
  readonly result: FeatureRunResult;
  private readonly groupLinksById = new Map<string, GroupLink>();
  private readonly outcomes = new Map<string, { outcome: GroupOutcome; label?: string | undefined; pbxId?: string | undefined }>();
  /** PBX group names (lower case) → id, read once when a create or rename needs them. */
  private pbxNames: Promise<Map<string, string>> | undefined;
  /** Every linked user's extension, once a batch was too large for point reads. */
  private allLinked: Promise<Map<string, string>> | undefined;
  private readonly linkedLookups = new Map<string, string>();
  private readonly now: () => Date;

  constructor(
    readonly context: FeatureContext<GroupSyncOptions>,
    readonly pbxGroups: PbxGroups,
    readonly dryRun: boolean,
    mode: 'full' | 'delta',
  ) {
    this.result = emptyFeatureRunResult(mode);
    if (dryRun) this.result.plannedActions = [];
    this.now = () => new Date();
  }

  async loadLinks(): Promise<void> {
    for (const link of await this.context.groupLinks.listByTenant(this.context.tenantId)) this.groupLinksById.set(link.groupId, link);
  }

  /** Applies a whole round: removed groups, changed groups, then (full) the sweep or (TRANSITIVE delta) the ancestors. */
  async applyRound(round: CollectedRound, mode: 'full' | 'delta'): Promise<void> {
    const { options } = this.context;
    // The whole round is read before anything is applied, so its size is the exact total (a dry run reports nothing).
    const progress = this.dryRun ? undefined : this.context.progress;
    progress?.expectTotal(round.removed.size + round.groups.size, 'graphCount');
    for (const [groupId] of round.removed) {
      const link = this.groupLinksById.get(groupId);
      if (link) await this.guarded(groupId, link.displayName, () => this.release(link, options.onDeleted, 'deleted'));
      progress?.settled(1);
    }
    const dirty = new Set<string>();
    // A few groups at a time, so one group's storage writes overlap another's PBX writes (the PBX client paces
    // them all within the tenant's rate limit).
    await runEachOrThrow([...round.groups.values()], GROUP_CONCURRENCY, async (group) => {
      await this.guarded(group.id, group.properties?.displayName ?? undefined, () => this.applyGroup(group, round, mode, dirty));
      progress?.settled(1);
    });
    if (mode === 'full') {
      for (const link of [...this.groupLinksById.values()]) {
        if (!round.groups.has(link.groupId) && !round.removed.has(link.groupId))
          await this.guarded(link.groupId, link.displayName, () => this.release(link, options.onDeleted, 'deleted'));
      }
    } else if (options.membership === 'TRANSITIVE') {
      await this.recomputeAncestors(dirty, round.removed.size > 0);
    }
  }

  /** Places, moves or takes out the users other features' runs linked, renumbered or unlinked. */
  async applyInbox(): Promise<void> {
    if (this.dryRun) return;
    await applyLinkEvents(this.context, {
      linksByGroup: this.groupLinksById,
      addMember: (link, extension) => this.pbxGroups.addMember(link.pbxGroupId!, extension),
      removeMember: (link, extension) => this.removeMemberIfPresent(link.pbxGroupId!, extension),
      touched: async (link) => {
        this.record(link.groupId, 'updated', link.displayName, link.pbxGroupId);
        await this.saveLink({ ...link, membersHash: '' });
      },
    });
  }

  /** The result, with what only the end of the run knows. */
  finish(requestsBefore: { graph: number; pbx: number }): FeatureRunResult {
    const { result } = this;
    for (const [groupId, { outcome, label, pbxId }] of this.outcomes) {
      result.counts[outcome as keyof RunCounts] += 1;
      if (outcome === 'outOfScope') result.outOfScopeByReason.notInScope = (result.outOfScopeByReason.notInScope ?? 0) + 1;
      if (outcome === 'failed' || outcome === 'outOfScope' || this.dryRun) continue;
      this.context.changes?.add(
        outcome === 'updated'
          ? { feature: 'groups', sourceId: groupId, label, pbxId, outcome, fields: ['members'] }
          : { feature: 'groups', sourceId: groupId, label, pbxId, outcome },
      );
    }
    result.itemsRead = this.outcomes.size;
    result.graphRequests = this.context.directoryReader.requestCount() - requestsBefore.graph;
    result.pbxRequests = this.context.pbx.requestCount() - requestsBefore.pbx;
    return result;
  }

  // ---- one group ----

  private async applyGroup(group: CollectedGroup, round: CollectedRound, mode: 'full' | 'delta', dirty: Set<string>): Promise<void> {
    const { options } = this.context;
    const transitive = options.membership === 'TRANSITIVE';
    const hasMemberChanges = group.users.size > 0 || group.groups.size > 0;
    // A nested group's members count for its ancestors whether or not it is synced itself.
    if (transitive && hasMemberChanges) dirty.add(group.id);
    const link = this.groupLinksById.get(group.id);
    const inScope = group.properties ? isGroupInScope(group.properties, options.scope) : link !== undefined;
    if (!inScope) {
      if (link) await this.release(link, options.onOutOfScope, 'outOfScope');
      else this.record(group.id, 'outOfScope', group.properties?.displayName ?? undefined);
      return;
    }
    const displayName = displayNameOf(group.properties?.displayName ?? link?.displayName ?? '');
    let active: GroupLink;
    let created = false;
    if (!link || link.state === 'creating') {
      active = await this.create(group.id, displayName, link);
      created = true;
    } else {
      active = await this.rename(link, displayName);
      this.record(group.id, active.pbxName === link.pbxName ? 'unchanged' : 'updated', displayName, link.pbxGroupId);
    }
    if (mode === 'full') {
      const members = transitive ? transitiveUsers(round, group.id) : memberIds(group.users);
      await this.reconcileMembers(active, members, created ? 'empty' : 'read');
    } else if (created) {
      const members = await this.context.directoryReader.listGroupMemberUserIds(group.id, transitive ? 'transitive' : 'direct');
      await this.reconcileMembers(active, members, 'empty');
    } else if (!transitive && group.users.size > 0) {
      await this.applyMemberChanges(active, group.users);
    }
  }

  /**
   * Creates the PBX group under a name no other PBX group has. The link is written first (`creating`, with
   * the name): a crash after the create leaves a PBX group by that name, which the replay takes as its own.
   */
  private async create(groupId: string, displayName: string, pending: GroupLink | undefined): Promise<GroupLink> {
    const names = await this.pbxGroupNames();
    const existing = pending ? names.get(pending.pbxName.toLowerCase()) : undefined;
    if (pending && existing) {
      const link = await this.saveLink({ ...pending, state: 'active', pbxGroupId: existing });
      this.record(groupId, 'created', displayName, existing);
      return link;
    }
    const choice = pbxGroupName(displayName, groupId, this.context.pbxProfile.groupNameMaxLength, (name) => names.has(name.toLowerCase()));
    // Taken at once (before anything is awaited): a group created beside this one cannot choose the same name.
    names.set(choice.name.toLowerCase(), `planned-${groupId}`);
    if (choice.clashed) this.nameClash(groupId, 'create', displayName, choice.name);
    if (this.dryRun) {
      this.plan({ kind: 'create', groupId, name: choice.name });
      this.record(groupId, 'created', displayName);
      return this.linkFor(groupId, { state: 'active', pbxGroupId: `planned-${groupId}`, pbxName: choice.name, displayName });
    }
    await this.saveLink(this.linkFor(groupId, { state: 'creating', pbxName: choice.name, displayName }));
    const { id } = await this.pbxGroups.createGroup({ name: choice.name, description: DESCRIPTION });
    names.set(choice.name.toLowerCase(), id);
    this.record(groupId, 'created', displayName, id);
    return this.saveLink(this.linkFor(groupId, { state: 'active', pbxGroupId: id, pbxName: choice.name, displayName }));
  }

  /** Follows a new Entra display name; a name that comes out the same (cut, suffixed) is no PBX write. */
  private async rename(link: GroupLink, displayName: string): Promise<GroupLink> {
    if (link.displayName === displayName) return link;
    const names = await this.pbxGroupNames();
    const takenByOther = (name: string) => {
      const holder = names.get(name.toLowerCase());
      return holder !== undefined && holder !== link.pbxGroupId;
    };
    const choice = pbxGroupName(displayName, link.groupId, this.context.pbxProfile.groupNameMaxLength, takenByOther);
    if (choice.clashed) this.nameClash(link.groupId, 'rename', displayName, choice.name);
    if (choice.name !== link.pbxName) {
      names.delete(link.pbxName.toLowerCase());
      names.set(choice.name.toLowerCase(), link.pbxGroupId!);
      if (this.dryRun) this.plan({ kind: 'rename', groupId: link.groupId, pbxGroupId: link.pbxGroupId!, name: choice.name });
      else await this.pbxGroups.updateGroup(link.pbxGroupId!, { name: choice.name });
    }
    return this.saveLink({ ...link, pbxName: choice.name, displayName });
  }

  /**
   * Lets go of a group that was deleted or left the scope: `delete` deletes the PBX group (it is the
   * connector's), `retain` leaves it and its members to the PBX admin. Either way its link and memberships go.
   */
  private async release(link: GroupLink, policy: 'delete' | 'retain', reason: 'deleted' | 'outOfScope'): Promise<void> {
    const pbxGroupId = link.pbxGroupId ?? (await this.pbxGroupNames()).get(link.pbxName.toLowerCase());
    const kind = policy === 'delete' ? 'delete' : 'unlink';
    this.record(link.groupId, policy === 'delete' ? 'deleted' : 'unlinked', link.displayName, pbxGroupId);
    this.groupLinksById.delete(link.groupId);
    if (this.dryRun) {
      this.plan({ kind, groupId: link.groupId, pbxGroupId, reason });
      return;
    }
    if (policy === 'delete' && pbxGroupId) await this.pbxGroups.deleteGroup(pbxGroupId);
    const { groupMembers, groupLinks, tenantId } = this.context;
    await groupMembers.deleteMany(tenantId, await groupMembers.listByGroup(tenantId, link.groupId));
    await groupLinks.delete(tenantId, link.groupId);
  }

  // ---- members ----

  /**
   * Brings a group's members to `memberIds`. `read` compares with the PBX group (a full run: repairs what
   * drifted), `empty` knows it is new, `trust` takes the stored memberships as the PBX's state. An unchanged
   * fingerprint needs neither the stored memberships nor the PBX.
   */
  private async reconcileMembers(link: GroupLink, memberIds: Iterable<string>, pbxState: 'read' | 'empty' | 'trust'): Promise<void> {
    const desired = await this.desiredMembers(memberIds);
    const hash = membersHash(desired);
    if (pbxState !== 'empty' && link.membersHash === hash) return;
    const { groupMembers, tenantId } = this.context;
    const stored = await groupMembers.listByGroup(tenantId, link.groupId);
    let pbxMembers: Set<string> | undefined;
    let managed: ((extension: string) => boolean) | undefined;
    if (pbxState === 'empty') pbxMembers = new Set();
    else if (pbxState === 'read') {
      pbxMembers = new Set(await this.pbxGroups.listMembers(link.pbxGroupId!));
      const linked = await this.linkedExtensions();
      const extensions = new Set(linked.values());
      managed = (extension) => extensions.has(extension);
    }
    await this.applyMembership(link, planMembership({ groupId: link.groupId, desired, stored, pbxMembers, managed }), hash);
  }

  /** A delta round's member changes of one group (DIRECT), on top of its stored memberships. */
  private async applyMemberChanges(link: GroupLink, changes: ReadonlyMap<string, boolean>): Promise<void> {
    const { groupMembers, tenantId } = this.context;
    const stored = await groupMembers.listByGroup(tenantId, link.groupId);
    const desired = new Map(stored.map((m) => [m.userId, m.extension]));
    const joined = [...changes].filter(([, member]) => member).map(([userId]) => userId);
    const extensions = await this.extensionsOf(joined);
    for (const [userId, member] of changes) {
      if (member) desired.set(userId, extensions.get(userId) ?? '');
      else desired.delete(userId);
    }
    await this.applyMembership(link, planMembership({ groupId: link.groupId, desired, stored }), membersHash(desired));
  }

  private async applyMembership(link: GroupLink, plan: MembershipPlan, hash: string): Promise<void> {
    const changed = plan.add.length + plan.remove.length > 0;
    if (changed) this.record(link.groupId, 'updated', link.displayName, link.pbxGroupId);
    if (this.dryRun) {
      if (changed) this.plan({ kind: 'members', groupId: link.groupId, add: plan.add, remove: plan.remove });
      return;
    }
    const { concurrency, groupMembers, tenantId } = this.context;
    const pbxGroupId = link.pbxGroupId!;
    await runEachOrThrow(plan.add, concurrency, (extension) => this.pbxGroups.addMember(pbxGroupId, extension));
    await runEachOrThrow(plan.remove, concurrency, (extension) => this.removeMemberIfPresent(pbxGroupId, extension));
    // After the PBX: a crash in between replays the same adds and removes, which are idempotent.
    if (plan.put.length > 0) await groupMembers.putMany(tenantId, plan.put);
    if (plan.drop.length > 0)
      await groupMembers.deleteMany(
        tenantId,
        plan.drop.map((userId) => ({ groupId: link.groupId, userId })),
      );
    if (link.membersHash !== hash) await this.saveLink({ ...link, membersHash: hash });
  }

  /** An extension deleted with its user has left every group already. */
  private async removeMemberIfPresent(pbxGroupId: string, extension: string): Promise<void> {
    try {
      await this.pbxGroups.removeMember(pbxGroupId, extension);
    } catch (caught) {
      if (!isAppError(caught, 'NOT_FOUND')) throw caught;
    }
  }

  /**
   * TRANSITIVE after a delta round: a member change in a group (synced or not) changes every synced group it
   * is nested in. Their members are read again from Graph and compared with the stored ones. A deleted
   * group's ancestors cannot be asked for, so a round with a removed group re-checks every synced group.
   */
  private async recomputeAncestors(dirty: ReadonlySet<string>, groupRemoved: boolean): Promise<void> {
    const reader = this.context.directoryReader;
    const affected = new Set<string>();
    if (groupRemoved) for (const groupId of this.groupLinksById.keys()) affected.add(groupId);
    else {
      for (const groupId of dirty) {
        if (this.groupLinksById.has(groupId)) affected.add(groupId);
        try {
          for (const ancestor of await reader.listGroupAncestorIds(groupId)) {
            if (this.groupLinksById.has(ancestor.toLowerCase())) affected.add(ancestor.toLowerCase());
          }
        } catch (caught) {
          // Deleted since the round: its ancestors see the change in their own member lists.
          if (!isAppError(caught, 'NOT_FOUND')) throw caught;
        }
      }
    }
    for (const groupId of affected) {
      const link = this.groupLinksById.get(groupId);
      if (!link || link.state !== 'active') continue;
      await this.guarded(groupId, link.displayName, async () => {
        const members = await reader.listGroupMemberUserIds(groupId, 'transitive');
        await this.reconcileMembers(link, members, 'trust');
      });
    }
  }

  // ---- lookups ----

  private async desiredMembers(memberIds: Iterable<string>): Promise<DesiredMembers> {
    const ids = [...new Set([...memberIds].map((id) => id.toLowerCase()))];
    const extensions = await this.extensionsOf(ids);
    return new Map(ids.map((id) => [id, extensions.get(id) ?? '']));
  }

  /** The extensions of these users where they are synced (point reads for a few, one listing for many). */
  private async extensionsOf(userIds: readonly string[]): Promise<Map<string, string>> {
    const missing = userIds.filter((id) => !this.linkedLookups.has(id));
    if (this.allLinked || missing.length > POINT_READ_LIMIT) {
      const all = await this.linkedExtensions();
      return new Map(userIds.flatMap((id) => (all.has(id) ? [[id, all.get(id)!] as const] : [])));
    }
    await runEachOrThrow(missing, 16, async (id) => {
      this.linkedLookups.set(id, (await this.context.linkedUsers.get(id))?.extensionNumber ?? '');
    });
    return new Map(userIds.flatMap((id) => (this.linkedLookups.get(id) ? [[id, this.linkedLookups.get(id)!] as const] : [])));
  }

  /** Read once, shared by groups applied side by side (the promise, so two of them never both read). */
  private linkedExtensions(): Promise<Map<string, string>> {
    this.allLinked ??= this.context.linkedUsers
      .list()
      .then((users) => new Map(users.map((u) => [u.objectId.toLowerCase(), u.extensionNumber])));
    return this.allLinked;
  }

  private pbxGroupNames(): Promise<Map<string, string>> {
    this.pbxNames ??= (async () => {
      const names = new Map<string, string>();
      for await (const page of this.pbxGroups.listGroups()) for (const group of page) names.set(group.name.toLowerCase(), group.id);
      return names;
    })();
    return this.pbxNames;
  }

  // ---- bookkeeping ----

  private linkFor(groupId: string, fields: Pick<GroupLink, 'state' | 'pbxName' | 'displayName'> & Partial<GroupLink>): GroupLink {
    return { tenantId: this.context.tenantId, groupId, membersHash: '', updatedAt: this.now().toISOString(), ...fields };
  }

  private async saveLink(link: GroupLink): Promise<GroupLink> {
    const saved = { ...link, updatedAt: this.now().toISOString() };
    if (!this.dryRun) await this.context.groupLinks.put(saved);
    this.groupLinksById.set(link.groupId, saved);
    return saved;
  }

  /** The name the group should have belongs to a PBX group the connector does not manage for it. */
  private nameClash(groupId: string, action: 'create' | 'rename', displayName: string, name: string): void {
    this.issue({
      objectId: groupId,
      action,
      code: 'groupNameClash',
      message: `another PBX group is already named "${displayName}": this group is named "${name}"`,
    });
  }

  /** Issues are capped so a run record stays small however many groups fail. */
  private issue(issue: RunIssue): void {
    if (this.result.issues.length < MAX_RUN_ISSUES) this.result.issues.push(issue);
  }

  private plan(action: GroupAction): void {
    this.result.plannedActions?.push(action);
  }

  private record(groupId: string, outcome: GroupOutcome, label?: string, pbxId?: string): void {
    const current = this.outcomes.get(groupId);
    if (current && STRENGTH.indexOf(current.outcome) >= STRENGTH.indexOf(outcome)) return;
    this.outcomes.set(groupId, { outcome, label: label ?? current?.label, pbxId: pbxId ?? current?.pbxId });
  }

  /**
   * Runs one group's work. A retryable failure ends the run (the round is not completed, so the next run
   * reads the same changes again); any other fails only this group, which the next full reconcile retries.
   */
  private async guarded(groupId: string, label: string | undefined, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (caught) {
      if (isRetryable(caught)) throw caught;
      const err = ensureError(caught);
      this.record(groupId, 'failed', label);
      const code = (isAppError(caught) && (caught.upstreamCode ?? caught.code)) || 'ERROR';
      this.issue({ objectId: groupId, code, message: err.message });
      this.context.log.warn('group not synced', { groupId, code });
    }
  }
}

/** Entra display names as the PBX gets them: trimmed, inner whitespace collapsed. */
function displayNameOf(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

function memberIds(changes: ReadonlyMap<string, boolean>): string[] {
  return [...changes].filter(([, member]) => member).map(([id]) => id);
}
