import { type RunCounts } from '../../engine/RunStore';
import { type ApplyOutcome, addCount } from './ApplyOutcome';
import { type UserAction } from './UserPlan';
import { countSkip } from './applySkip';

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
    if (action.kind === 'skip') countSkip(outcome, action);
    else addCount(outcome, COUNT_OF[action.kind]);
  }
  return outcome;
}
