import { type LinkWrite } from '../../engine/LinkStore';
import { runWithConcurrency } from '../../engine/runWithConcurrency';
import { type ApplyOutcome } from './ApplyOutcome';
import { type CreateAction, type UserAction } from './UserPlan';
import { type ApplyDeps, type Step, type StepResult, creatingLink } from './applyContext';
import { applyAdopt } from './applyAdopt';
import { applyCreate } from './applyCreate';
import { applyDelete, applyUnlink } from './applyRemoval';
import { countSkip } from './applySkip';
import { applyUpdate } from './applyUpdate';
import { asLinkConflict } from './linkConflict';
import { settleStep } from './settleStep';

export type { ApplyDeps } from './applyContext';

/**
 * Executes a plan (one page of changes) in phases, so the links cost a few table transactions per page
 * instead of two round trips per user:
 * 1. the `creating` links of new users are written (create-if-absent) before any PBX create: a replay after
 *    a crash finds the extension by its reserved number instead of creating a second one, and a second
 *    writer racing on the same user is refused here, before it touches the PBX;
 * 2. the PBX writes, with bounded concurrency;
 * 3. the final links, conditional on the version read or written before (ETag);
 * 4. each item is counted, or its failure recorded.
 * A link write refused because another writer touched the user is not retried: the item fails with
 * `linkConflict`, its link is re-read, and the next run converges. Any other final error for one user is
 * recorded (the user is re-read next run); a retryable error is returned so the caller keeps its checkpoint.
 */
export async function applyUserPlan(actions: readonly UserAction[], deps: ApplyDeps): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = { counts: {}, issues: [] };
  const steps: Step[] = [];
  for (const action of actions) {
    if (action.kind === 'skip') countSkip(outcome, action);
    else steps.push({ action });
  }
  await reserveAndWritePbx(steps, deps);
  await writeLinks(
    deps,
    steps.filter((step) => step.failure === undefined && step.final),
    (step) => step.final!,
  );
  await runWithConcurrency(steps, deps.concurrency, (step) => settleStep(deps, step, outcome));
  return outcome;
}

/**
 * Phases 1 and 2. The next page's PBX writes may start as soon as these have all started, and must not
 * wait forever whatever happens here: the turn is passed on every way out.
 */
async function reserveAndWritePbx(steps: Step[], deps: ApplyDeps): Promise<void> {
  const fresh = steps.filter((step) => step.action.kind === 'create' && !step.action.resume);
  let turnPassed = false;
  const passTurn = () => {
    if (!turnPassed) deps.onPbxWritesStarted?.();
    turnPassed = true;
  };
  try {
    await writeLinks(deps, fresh, ({ action }) => ({
      kind: 'create',
      link: creatingLink(deps, action.objectId, (action as CreateAction).user),
    }));
    await deps.pbxTurn;
    await runWithConcurrency(
      steps.filter((step) => step.failure === undefined),
      deps.concurrency,
      async (step) => {
        try {
          Object.assign(step, await pbxWrites(deps, step.action));
        } catch (err) {
          step.failure = err;
        }
      },
      passTurn,
    );
  } finally {
    passTurn();
  }
}

/** Phase 2 for one action: its PBX writes; the final link write is left for phase 3. */
function pbxWrites(deps: ApplyDeps, action: Step['action']): Promise<StepResult> {
  switch (action.kind) {
    case 'create':
      return applyCreate(deps, action);
    case 'adopt':
      return applyAdopt(deps, action);
    case 'update':
    case 'disable':
      return applyUpdate(deps, action);
    case 'delete':
      return applyDelete(deps, action);
    case 'unlink':
      return applyUnlink(deps, action);
  }
}

/** Phases 1 and 3: one batch of link writes; each step gets its link cached, or its failure. */
async function writeLinks(deps: ApplyDeps, writing: Step[], writeOf: (step: Step) => LinkWrite): Promise<void> {
  if (writing.length === 0) return;
  try {
    const results = await deps.links.writeMany(deps.tenantId, writing.map(writeOf));
    writing.forEach((step, k) => {
      const result = results[k]!;
      if (result.ok) deps.linkCache.set(step.action.objectId, result.link);
      else step.failure = asLinkConflict(result.error);
    });
  } catch (err) {
    for (const step of writing) step.failure = err;
  }
}
