import { type RunCounts } from '../../engine/RunStore';
import { type ApplyOutcome, addCount } from './ApplyOutcome';
import { type UserAction } from './UserPlan';

const COUNT_OF: Record<Exclude<UserAction['kind'], 'skip'>, keyof RunCounts> = {
  create: 'created',
  adopt: 'adopted',
  update: 'updated',
  disable: 'disabled',
  delete: 'deleted',
  unlink: 'unlinked',
};

/** What applying these actions would count, without applying them (dry runs). */
export function plannedOutcome(actions: readonly UserAction[]): ApplyOutcome {
  const outcome: ApplyOutcome = { counts: {}, issues: [] };
  for (const action of actions) {
    if (action.kind !== 'skip') {
      addCount(outcome, COUNT_OF[action.kind]);
      continue;
    }
    addCount(outcome, 'skipped');
    const { objectId, userPrincipalName, code, message } = action;
    outcome.issues.push({ objectId, userPrincipalName, action: 'skip', code, message });
  }
  return outcome;
}
