import { type UserSyncOptions } from './usersOptions';
import { isAppError } from '../../core/errors/AppError';
import { type DeltaStart, type DirectoryReader } from '../../graph/DirectoryReader';
import { type GraphUser, type RemovedUser } from '../../graph/GraphUser';
import { type PbxClient, type PbxUser } from '../../pbx/ports/PbxClient';
import { type DeltaState, type DeltaStateStore } from '../../engine/DeltaStateStore';
import { type LinkStore, type UserLink } from '../../engine/LinkStore';
import { type PendingUserStore } from '../../engine/PendingUserStore';
import { MAX_RUN_ISSUES, type RunCounts, emptyCounts } from '../../engine/RunStore';
import { type ApplyOutcome } from './ApplyOutcome';
import { PbxDirectory } from './PbxDirectory';
import { type UserAction } from './UserPlan';
import { type UserSyncResult } from './UserSyncResult';
import { applyUserPlan } from './applyUserPlan';
import { plannedOutcome } from './plannedOutcome';
import { optionsHash } from './optionsHash';
import { needsDirectory, planSweep, planUserChanges, removalAction } from './planUserChanges';
import { Logger } from '../../core/logging/Logger';

export interface UserSyncDeps {
  tenantId: string;
  options: UserSyncOptions;
  directoryReader: DirectoryReader;
  pbx: PbxClient;
  deltaStates: DeltaStateStore;
  links: LinkStore;
  pendingUsers: PendingUserStore;
  /** PBX writes in flight (the PBX client rate-limits on top). */
  concurrency: number;
  log?: Logger | undefined;
  now?: () => Date;
}

export interface UserSyncRequest {
  mode: 'full' | 'delta';
  dryRun: boolean;
}

/**
 * One users sync for one tenant: reads a delta round page by page, plans, applies, and moves the checkpoint
 * only after every write of a page succeeded. A crash resumes from the last checkpoint; replays converge.
 */
export async function runUserSync(deps: UserSyncDeps, request: UserSyncRequest): Promise<UserSyncResult> {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? Logger.silent();
  const graphStart = deps.directoryReader.requestCount();
  const pbxStart = deps.pbx.requestCount();
  const hash = optionsHash(deps.options);
  const counts = emptyCounts();
  const result: UserSyncResult = {
    mode: request.mode,
    counts,
    issues: [],
    skippedByReason: {},
    outOfScopeByReason: {},
    itemsRead: 0,
    notes: [],
    pages: 0,
    graphRequests: 0,
    pbxRequests: 0,
  };
  if (request.dryRun) result.plannedActions = [];

  let linkCache: Map<string, UserLink> | undefined;
  const ensureLinks = async (): Promise<Map<string, UserLink>> => {
    linkCache ??= new Map((await deps.links.listByTenant(deps.tenantId)).map((l) => [l.objectId, l]));
    return linkCache;
  };
  let directory: PbxDirectory | undefined;
  const ensureDirectory = async (): Promise<PbxDirectory> => {
    if (!directory) {
      const links = await ensureLinks();
      const linkedIds = new Set([...links.values()].map((l) => l.pbxUserId).filter((id): id is string => !!id));
      const users: PbxUser[] = [];
      for await (const page of deps.pbx.listUsers()) users.push(...page);
      directory = new PbxDirectory(users, await deps.pbx.listNonUserNumbers(), linkedIds);
    }
    return directory;
  };
  let groupMemberIds: Set<string> | undefined;
  if (deps.options.scope.mode === 'GROUPS') {
    groupMemberIds = new Set<string>();
    for (const groupId of deps.options.scope.groups) {
      for (const id of await deps.directoryReader.listGroupMemberUserIds(groupId)) groupMemberIds.add(id.toLowerCase());
    }
  }
  const pendingIds = new Set((await deps.pendingUsers.list(deps.tenantId)).map((p) => p.objectId));
  const seen = new Set<string>();
  const read = new Set<string>();

  const merge = (outcome: ApplyOutcome): void => {
    for (const [key, value] of Object.entries(outcome.counts)) counts[key as keyof RunCounts] += value ?? 0;
    for (const issue of outcome.issues) {
      if (issue.action === 'skip') result.skippedByReason[issue.code] = (result.skippedByReason[issue.code] ?? 0) + 1;
      if (result.issues.length < MAX_RUN_ISSUES) result.issues.push(issue);
    }
    if (outcome.retryableError) throw outcome.retryableError;
  };

  const execute = async (actions: UserAction[]): Promise<void> => {
    if (request.dryRun) {
      // A dry run counts what it would do, so its counts read like the run's would.
      result.plannedActions!.push(...actions);
      merge(plannedOutcome(actions));
      return;
    }
    const links = await ensureLinks();
    merge(
      await applyUserPlan(actions, {
        tenantId: deps.tenantId,
        pbx: deps.pbx,
        links: deps.links,
        pendingUsers: deps.pendingUsers,
        linkCache: links,
        concurrency: deps.concurrency,
        pendingIds,
        nextFreeNumber:
          deps.options.numbering.mode === 'fromStart' && directory
            ? () => directory!.allocateFrom((deps.options.numbering as { start: string }).start)
            : undefined,
        now,
      }),
    );
  };

  const planAndApply = async (users: GraphUser[], removed: RemovedUser[]): Promise<void> => {
    if (users.length === 0 && removed.length === 0) return;
    const links = await ensureLinks();
    const dir = needsDirectory({ users, links, options: deps.options, groupMemberIds }) ? await ensureDirectory() : directory;
    const plan = planUserChanges({ users, removed, links, options: deps.options, groupMemberIds, directory: dir });
    for (const id of plan.seen) {
      seen.add(id);
      read.add(id);
    }
    counts.unchanged += plan.unchanged;
    for (const [reason, n] of Object.entries(plan.outOfScope)) {
      counts.outOfScope += n;
      result.outOfScopeByReason[reason] = (result.outOfScopeByReason[reason] ?? 0) + n;
    }
    merge({ counts: {}, issues: plan.notices });
    await execute(plan.actions);
  };

  // Where this run starts: an unfinished round's checkpoint, the last deltaLink, or a fresh full round.
  let state: DeltaState = (await deps.deltaStates.get(deps.tenantId, 'users')) ?? { tenantId: deps.tenantId, resource: 'users' };
  const sameOptions = state.optionsHash === hash;
  let start: DeltaStart;
  let roundMode: 'full' | 'delta';
  let resumed = false;
  if (sameOptions && state.checkpointLink && !(request.mode === 'full' && state.roundMode === 'delta')) {
    start = { kind: 'link', url: state.checkpointLink };
    roundMode = state.roundMode ?? 'full';
    resumed = true;
    result.notes.push(`resumed an unfinished ${roundMode} round from its checkpoint`);
  } else if (sameOptions && state.deltaLink && request.mode === 'delta') {
    start = { kind: 'link', url: state.deltaLink };
    roundMode = 'delta';
  } else {
    start = { kind: 'initial' };
    roundMode = 'full';
    if (!sameOptions && state.optionsHash) result.notes.push('sync options changed: full reconcile');
  }
  result.mode = roundMode;
  const roundStartedAt = resumed && state.roundStartedAt ? state.roundStartedAt : now().toISOString();

  const saveState = async (patch: Partial<DeltaState>): Promise<void> => {
    if (request.dryRun) return;
    state = await deps.deltaStates.save({ ...state, ...patch, tenantId: deps.tenantId, resource: 'users', optionsHash: hash });
  };

  let deltaLink: string | undefined;
  for (let attempt = 0; deltaLink === undefined; attempt += 1) {
    try {
      for await (const page of deps.directoryReader.usersDelta(start)) {
        result.pages += 1;
        await planAndApply(page.users, page.removed);
        if (page.nextLink) {
          await saveState({ checkpointLink: page.nextLink, roundMode, roundStartedAt, roundResumed: resumed });
        } else {
          deltaLink = page.deltaLink;
        }
      }
      if (deltaLink === undefined) throw new Error('the delta round ended without a deltaLink');
    } catch (err) {
      if (!isAppError(err, 'DELTA_TOKEN_EXPIRED') || start.kind === 'initial' || attempt > 0) throw err;
      // Expired or reset token: start a clean full round. Nothing is deleted for not having been re-read yet:
      // the sweep runs only after that whole round has been read.
      log.warn('delta token expired; starting a full resync');
      result.notes.push('delta token expired or was reset by Graph: clean full resync');
      start = { kind: 'initial' };
      roundMode = 'full';
      result.mode = 'full';
      resumed = false;
      await saveState({ deltaLink: undefined, checkpointLink: undefined, roundMode: undefined, roundResumed: undefined });
    }
  }

  if (roundMode === 'full') {
    if (resumed)
      result.notes.push('full-round sweep skipped: the round was resumed after an interruption; the next full reconcile will sweep');
    else await execute(planSweep(await ensureLinks(), seen, deps.options));
  }
  await reconcileOutsideTheRound();

  await saveState({
    deltaLink,
    checkpointLink: undefined,
    roundMode: undefined,
    roundStartedAt: undefined,
    roundResumed: undefined,
    lastCompletedAt: now().toISOString(),
  });
  result.itemsRead = read.size;
  result.graphRequests = deps.directoryReader.requestCount() - graphStart;
  result.pbxRequests = deps.pbx.requestCount() - pbxStart;
  return result;

  /**
   * Changes that a users delta round cannot show: group membership (GROUPS scope) and users whose last write
   * failed for good (re-read by id every run until they succeed).
   */
  async function reconcileOutsideTheRound(): Promise<void> {
    const toRead = new Set([...pendingIds].filter((id) => !seen.has(id)));
    if (groupMemberIds) {
      const links = await ensureLinks();
      for (const id of groupMemberIds) if (!links.has(id) && !seen.has(id)) toRead.add(id);
      const leavers: UserAction[] = [];
      for (const link of links.values()) {
        if (groupMemberIds.has(link.objectId.toLowerCase()) || seen.has(link.objectId)) continue;
        const action = removalAction(link, deps.options.onOutOfScope, 'user is no longer a member of the synced groups');
        if (action) leavers.push(action);
        seen.add(link.objectId);
      }
      await execute(leavers);
    }
    if (toRead.size === 0) return;
    const users: GraphUser[] = [];
    const removed: RemovedUser[] = [];
    for (const id of toRead) {
      const user = await deps.directoryReader.getUser(id);
      if (user) users.push(user);
      else if ((await ensureLinks()).has(id)) removed.push({ id, reason: 'deleted' });
      else if (pendingIds.delete(id) && !request.dryRun) await deps.pendingUsers.remove(deps.tenantId, id); // gone, nothing of ours to undo
    }
    await planAndApply(users, removed);
  }
}
