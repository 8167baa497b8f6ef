import { ensureError } from '../../core/errors/ensureError';
import { Logger } from '../../core/logging/Logger';
import { DeltaRoundState } from '../../engine/DeltaRoundState';
import { chooseRoundStart } from '../../engine/chooseRoundStart';
import { type DeltaRoundEnd, runDeltaRound } from '../../engine/runDeltaRound';
import { type UserSyncDeps, type UserSyncRequest } from './UserSyncDeps';
import { type UserSyncResult } from './UserSyncResult';
import { UserSyncRun } from './UserSyncRun';
import { optionsHash } from './optionsHash';
import { planSweep, sweepCandidates } from './planUserChanges';
import { reconcileOutsideTheRound } from './reconcileOutsideTheRound';

export type { UserSyncDeps, UserSyncRequest } from './UserSyncDeps';

/**
 * One users sync for one tenant: reads a delta round page by page, plans, applies, and moves the checkpoint
 * only after every write of a page succeeded. A crash resumes from the last checkpoint; replays converge.
 */
export async function runUserSync(deps: UserSyncDeps, request: UserSyncRequest): Promise<UserSyncResult> {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? Logger.silent();
  const requestsBefore = { graph: deps.directoryReader.requestCount(), pbx: deps.pbx.requestCount() };
  const hash = optionsHash(deps.options);
  const run = await UserSyncRun.open(deps, request, hash);
  const { result } = run;

  const state = await DeltaRoundState.load(
    deps.deltaStates,
    { tenantId: deps.tenantId, resource: 'users', optionsHash: hash },
    request.dryRun,
  );
  const start = chooseRoundStart(state.current, hash, request.mode);
  if (start.note) result.notes.push(start.note);
  result.mode = start.mode;
  if (start.mode === 'full' && !request.dryRun) await expectUserCount(deps, log);

  const round = await runDeltaRound({
    state,
    start,
    progress: request.dryRun ? undefined : deps.progress,
    startedAt: start.startedAt ?? now().toISOString(),
    read: (from) => deps.directoryReader.usersDelta(from),
    itemIds: (page) => [...page.users.map((u) => u.id), ...page.removed.map((r) => r.id)],
    plan: (page) => {
      result.pages += 1;
      return run.plan(page.users, page.removed);
    },
    apply: (actions, turn) => run.apply(actions, turn),
    settle: (_page, actions, outcome) => run.settle(actions, outcome),
    onRestart: () => {
      log.warn('delta token expired; starting a full resync');
      result.notes.push('delta token expired or was reset by Graph: clean full resync');
      result.mode = 'full';
    },
  });
  await sweep(run, round);
  await reconcileOutsideTheRound(run);
  await deps.changes?.flush();
  await state.complete(round.deltaLink, now().toISOString());
  // After the users round: a crash in between reads the same membership changes again, which changes nothing.
  await run.scope?.completeRound();
  return run.finish(requestsBefore);
}

/**
 * A full round reads every user once: Graph's count of /users is its expected size. The count is only an
 * estimate for the operator, so a failure is logged and the run goes on (with the previous run's estimate).
 */
async function expectUserCount(deps: UserSyncDeps, log: Logger): Promise<void> {
  const { progress, directoryReader } = deps;
  if (!progress || !directoryReader.countUsers) return;
  try {
    progress.expectTotal(await directoryReader.countUsers(), 'graphCount');
  } catch (err) {
    log.warn('counting the users for the run progress failed; the run goes on', { error: ensureError(err).message });
  }
}

/**
 * After a whole full round was read, every linked user it did not see is gone from /users: still in the
 * deleted items (restorable) → onSoftDeleted, else (purged) → onHardDeleted. A resumed round did not read the pages before its checkpoint, so its sweep would delete those users.
 */
async function sweep(run: UserSyncRun, round: DeltaRoundEnd): Promise<void> {
  if (round.mode !== 'full') return;
  if (round.resumed)
    run.result.notes.push('full-round sweep skipped: the round was resumed after an interruption; the next full reconcile will sweep');
  else {
    const links = await run.links();
    // Graph is asked only when the round left someone out; the deleted items decide soft or hard.
    const stillDeleted =
      sweepCandidates(links, run.seen).length > 0 ? await run.deps.directoryReader.listDeletedUserIds() : new Set<string>();
    await run.execute(planSweep(links, run.seen, run.deps.options, stillDeleted));
  }
}
