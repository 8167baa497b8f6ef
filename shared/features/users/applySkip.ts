import { type ApplyOutcome, addCount } from './ApplyOutcome';
import { type SkipAction } from './UserPlan';

/** A skip writes nothing: it is counted and told, the same whether the plan is applied or only planned. */
export function countSkip(outcome: ApplyOutcome, action: SkipAction): void {
  addCount(outcome, 'skipped');
  const { objectId, userPrincipalName, code, message } = action;
  outcome.issues.push({ objectId, userPrincipalName, action: 'skip', code, message });
}
