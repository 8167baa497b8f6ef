import { type UserSyncOptions } from './usersOptions';
import { isAppError } from '../../core/errors/AppError';
import { type DeltaStart, type DirectoryReader } from '../../graph/DirectoryReader';
import { type GraphUser, type RemovedUser } from '../../graph/GraphUser';
import { type PbxClient, type PbxUser } from '../../pbx/ports/PbxClient';
import { type PbxProfile } from '../../pbx/ports/PbxProfile';
import { type DeltaState, type DeltaStateStore } from '../../engine/DeltaStateStore';
import { type LinkStore, type UserLink } from '../../engine/LinkStore';
import { type PendingUserStore } from '../../engine/PendingUserStore';
import { MAX_RUN_ISSUES, type RunCounts, emptyCounts } from '../../engine/RunStore';
import { type ApplyOutcome } from './ApplyOutcome';
import { PbxDirectory } from './PbxDirectory';
import { type UserAction } from './UserPlan';
import { type UserSyncResult } from './UserSyncResult';
import { type ApplyDeps, applyUserPlan } from './applyUserPlan';
import { plannedOutcome } from './plannedOutcome';
import { optionsHash } from './optionsHash';
import { needsDirectory, planSweep, planUserChanges, removalAction } from './planUserChanges';
import { Logger } from '../../core/logging/Logger';
import { type RunChangeRecorder } from '../../engine/RunChangeRecorder';
import { appliedRunChanges, quietRunChanges } from './userRunChanges';

export interface UserSyncDeps {
  tenantId: string;
  options: UserSyncOptions;
  directoryReader: DirectoryReader;
  pbx: PbxClient;
  /** The PBX product's rules the planner applies. */
  pbxProfile: PbxProfile;
  deltaStates: DeltaStateStore;
  links: LinkStore;
  pendingUsers: PendingUserStore;
  /** PBX writes in flight (the PBX client rate-limits on top). */
  concurrency: number;
  log?: Logger | undefined;
  now?: () => Date;
  /** The run's per-item change list (absent for dry runs and callers that keep none). */
  changes?: RunChangeRecorder | undefined;
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
      directory = new PbxDirectory(deps.pbxProfile, users, await deps.pbx.listNonUserNumbers(), linkedIds);
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

  /** Applies actions (a dry run only counts them); `pipeline` chains a page's PBX writes after the previous page's. */
  const apply = async (actions: UserAction[], pipeline?: Pick<ApplyDeps, 'pbxTurn' | 'onPbxWritesStarted'>): Promise<ApplyOutcome> => {
    if (request.dryRun || actions.length === 0) {
      // A dry run counts what it would do, so its counts read like the run's would. Nothing to do reads nothing.
      pipeline?.onPbxWritesStarted?.();
      result.plannedActions?.push(...actions);
      return plannedOutcome(actions);
    }
    const links = await ensureLinks();
    return applyUserPlan(actions, {
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
      ...pipeline,
    });
  };
  /** The change list of an applied batch, written before the checkpoint that covers it. */
  const recordApplied = async (actions: readonly UserAction[], outcome: ApplyOutcome): Promise<void> => {
    if (!deps.changes || request.dryRun) return;
    deps.changes.add(appliedRunChanges(actions, outcome));
    await deps.changes.flush();
  };
  const execute = async (actions: UserAction[]): Promise<void> => {
    const outcome = await apply(actions);
    merge(outcome);
    await recordApplied(actions, outcome);
  };

  /** Plans one batch of Graph changes and counts what needs no write; returns the writes it needs. */
  const plan = async (users: GraphUser[], removed: RemovedUser[]): Promise<UserAction[]> => {
    if (users.length === 0 && removed.length === 0) return [];
    const links = await ensureLinks();
    const dir = needsDirectory({ users, links, options: deps.options, profile: deps.pbxProfile, groupMemberIds })
      ? await ensureDirectory()
      : directory;
    const planned = planUserChanges({
      users,
      removed,
      links,
      options: deps.options,
      profile: deps.pbxProfile,
      groupMemberIds,
      directory: dir,
    });
    for (const id of planned.seen) {
      seen.add(id);
      read.add(id);
    }
    counts.unchanged += planned.unchanged;
    for (const [reason, n] of Object.entries(planned.outOfScope)) {
      counts.outOfScope += n;
      result.outOfScopeByReason[reason] = (result.outOfScopeByReason[reason] ?? 0) + n;
    }
    merge({ counts: {}, issues: planned.notices });
    if (!request.dryRun) deps.changes?.add(quietRunChanges(planned.quiet));
    return planned.actions;
  };
  const planAndApply = async (users: GraphUser[], removed: RemovedUser[]): Promise<void> => execute(await plan(users, removed));

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

  /**
   * Reads and applies one delta round as a pipeline, so the PBX rate limit, not our own round trips, sets
   * the pace: while page N's PBX writes run, page N+1 is read, planned and its write-ahead links stored, and
   * page N-1's final links and checkpoint are written. Page N+1's PBX writes start as soon as page N's have
   * all started. Checkpoints are saved in page order, each only after every write of its page and of every
   * page before it succeeded. Returns (or throws) only once every page taken is settled, so nothing of this
   * run is still writing when the caller records it or gives up its writer lease.
   */
  const readRound = async (): Promise<void> => {
    const unfinished = new Set<{ ids: Set<string>; done: Promise<void> }>();
    let checkpointed: Promise<void> = Promise.resolve();
    /** When the previous page's PBX writes may start: the next page is planned only then (one page ahead). */
    let previousTurn: Promise<void> = Promise.resolve();
    let pbxTurn: Promise<void> = Promise.resolve();
    /** The first page that failed (its checkpoint and every later one stay unsaved), and a failed read or plan. */
    let failed: { error: unknown } | undefined;
    let loopFailure: { error: unknown } | undefined;
    try {
      for await (const page of readAhead(deps.directoryReader.usersDelta(start))) {
        await previousTurn;
        // One writer per user within the run too: a user an unfinished page is still writing waits for it.
        const ids = new Set([...page.users.map((u) => u.id), ...page.removed.map((r) => r.id)]);
        for (const earlier of unfinished) if ([...ids].some((id) => earlier.ids.has(id))) await earlier.done.catch(() => undefined);
        if (failed) break; // no new page once one failed: the run ends at the last good checkpoint
        result.pages += 1;
        const actions = await plan(page.users, page.removed);
        let passTurn!: () => void;
        const nextTurn = new Promise<void>((resolve) => (passTurn = resolve));
        const applied = apply(actions, { pbxTurn, onPbxWritesStarted: passTurn });
        previousTurn = pbxTurn;
        pbxTurn = nextTurn;
        const before = checkpointed;
        const done = (async () => {
          const outcome = await applied;
          await before; // checkpoints in page order
          merge(outcome);
          await recordApplied(actions, outcome);
          if (page.nextLink) await saveState({ checkpointLink: page.nextLink, roundMode, roundStartedAt, roundResumed: resumed });
          else deltaLink = page.deltaLink;
        })();
        const entry = { ids, done };
        unfinished.add(entry);
        checkpointed = done;
        done.then(
          () => unfinished.delete(entry),
          (error: unknown) => {
            unfinished.delete(entry);
            failed ??= { error };
          },
        );
      }
    } catch (error) {
      loopFailure = { error };
    }
    // Pages chain their checkpoints, so the last one settles after all; its error is the earliest page's.
    await checkpointed.catch(() => undefined);
    if (failed) throw failed.error;
    if (loopFailure) throw loopFailure.error;
  };

  for (let attempt = 0; deltaLink === undefined; attempt += 1) {
    try {
      await readRound();
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
  await deps.changes?.flush();

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

/**
 * The pages of a delta round with the next one already being read while the caller applies the current one,
 * so the Graph round trip overlaps the PBX writes. Only reading runs ahead: the caller finishes a page (its
 * writes, then its checkpoint) before it takes the next, and a failed read surfaces only when that page is
 * asked for, after every earlier page was applied and checkpointed.
 */
async function* readAhead<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  let next = iterator.next();
  let finished = false;
  try {
    for (;;) {
      const current = await next;
      if (current.done) {
        finished = true;
        return;
      }
      next = iterator.next();
      next.catch(() => undefined); // awaited when its turn comes; not an unhandled rejection meanwhile
      yield current.value;
    }
  } catch (err) {
    finished = true;
    throw err;
  } finally {
    // The caller stopped early (its page failed): close the source once the read under way settles.
    if (!finished)
      void next
        .then(
          () => iterator.return?.(),
          () => undefined,
        )
        .catch(() => undefined);
  }
}
