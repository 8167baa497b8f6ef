import { type FeatureRunResult } from '../../engine/FeatureRunResult';
import { type UserAction } from './UserPlan';

export interface UserSyncResult extends FeatureRunResult {
  /** Dry runs only: every action the run would have taken. */
  plannedActions?: UserAction[];
}
