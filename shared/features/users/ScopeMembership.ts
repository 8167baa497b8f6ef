import { isAppError } from '../../core/errors/AppError';
import { DeltaRoundState } from '../../engine/DeltaRoundState';
import { chooseRoundStart } from '../../engine/chooseRoundStart';
import { type CollectedRound } from '../../engine/collectGroupsRound';
import { readGroupsRound } from '../../engine/readGroupsRound';
import { runEachOrThrow } from '../../engine/runWithConcurrency';
import { type UserSyncDeps, type UserSyncRequest } from './UserSyncDeps';

/** The delta state of the groups round the users feature reads for its GROUPS scope. */
export const SCOPE_GROUPS_RESOURCE = 'usersScopeGroups';

/** Beyond this many users to check one by one, reading every member of the scope groups is cheaper. */
const CHECK_LIMIT = 100;
const CHECK_CONCURRENCY = 8;

/**
 * Who is in a GROUPS scope, as one users run needs to know it, following group membership changes from the
 * groups delta round (the same change notifications) instead of reading every member on every run:
 * - `complete`: every member of the scope groups was read (a full run; a delta run whose groups round shows
 *   nested groups changing or groups deleted, which a user-by-user check cannot follow; the first run);
 * - otherwise: the groups round names the users whose membership changed (`candidates`); they and the users
 *   of the users round are checked one by one (their groups, nested ones included, against the scope).
 * The groups round's deltaLink is saved only when the run completes (`completeRound()`), so a failed run reads the
 * same membership changes again.
 */
export class ScopeMembership {
  /** Members of the scope (lower-case ids) among the users known: all of them when `complete`. */
  readonly members = new Set<string>();
  private readonly checked = new Set<string>();
  private everyMemberRead = false;

  private constructor(
    private readonly deps: UserSyncDeps,
    private readonly scopeGroups: ReadonlySet<string>,
    private readonly state: DeltaRoundState,
    private readonly deltaLink: string,
    /** Users whose membership of some group changed since the last run (empty when complete). */
    readonly candidates: ReadonlySet<string>,
  ) {}

  /** Undefined unless the scope is GROUPS. */
  static async open(deps: UserSyncDeps, request: UserSyncRequest, optionsHash: string): Promise<ScopeMembership | undefined> {
    const { scope } = deps.options;
    if (scope.mode !== 'GROUPS') return undefined;
    const scopeGroups = new Set(scope.groups);
    const state = await DeltaRoundState.load(
      deps.deltaStates,
      { tenantId: deps.tenantId, resource: SCOPE_GROUPS_RESOURCE, optionsHash },
      request.dryRun,
    );
    const start = chooseRoundStart(state.current, optionsHash, request.mode);
    let candidates = new Set<string>();
    let complete = true;
    let deltaLink: string;
    if (start.mode === 'full') {
      // Everything is read below; the groups round only needs to start from now.
      deltaLink = (await readGroupsRound(deps.directoryReader, { ...start, start: { kind: 'latest' } }, () => undefined)).deltaLink;
    } else {
      const read = await readGroupsRound(deps.directoryReader, start, () => undefined);
      deltaLink = read.deltaLink;
      candidates = read.mode === 'full' ? candidates : userCandidates(read.round);
      complete = read.mode === 'full' || changesNesting(read.round) || candidates.size > CHECK_LIMIT;
    }
    const membership = new ScopeMembership(deps, scopeGroups, state, deltaLink, complete ? new Set() : candidates);
    if (complete) await membership.readAllMembers();
    return membership;
  }

  /** Every member of the scope groups was read: `members` answers for anyone. */
  get complete(): boolean {
    return this.everyMemberRead;
  }

  /**
   * Makes `members` answer for these users: checks the ones not known yet, one by one; for more than a
   * hundred (a users round with many changes) reading every member is cheaper, and then answers for all.
   */
  async check(userIds: Iterable<string>): Promise<void> {
    if (this.everyMemberRead) return;
    const unknown = [...new Set([...userIds].map((id) => id.toLowerCase()))].filter((id) => !this.checked.has(id));
    if (unknown.length > CHECK_LIMIT) {
      await this.readAllMembers();
      return;
    }
    await runEachOrThrow(unknown, CHECK_CONCURRENCY, async (id) => {
      try {
        const groups = await this.deps.directoryReader.listUserGroupIds(id);
        if (groups.some((groupId) => this.scopeGroups.has(groupId.toLowerCase()))) this.members.add(id);
      } catch (caught) {
        // A user deleted since: not a member (the users round reports the deletion itself).
        if (!isAppError(caught, 'NOT_FOUND')) throw caught;
      }
      this.checked.add(id);
    });
  }

  /** The run is done: the next one starts from this round's end. */
  async completeRound(): Promise<void> {
    await this.state.complete(this.deltaLink, new Date().toISOString());
  }

  private async readAllMembers(): Promise<void> {
    this.members.clear();
    for (const groupId of this.scopeGroups) {
      for (const id of await this.deps.directoryReader.listGroupMemberUserIds(groupId)) this.members.add(id.toLowerCase());
    }
    this.everyMemberRead = true;
  }
}

/** Users added to or removed from any group in the round (whether a scope group or one nested in it). */
function userCandidates(round: CollectedRound): Set<string> {
  const ids = new Set<string>();
  for (const group of round.groups.values()) for (const userId of group.users.keys()) ids.add(userId);
  return ids;
}

/** A group nested in or taken out of another, or a group deleted: whose membership changed is unknown. */
function changesNesting(round: CollectedRound): boolean {
  if (round.removed.size > 0) return true;
  for (const group of round.groups.values()) if (group.groups.size > 0) return true;
  return false;
}
