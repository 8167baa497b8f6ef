import { type RunCounts, type RunIssue } from '../../engine/RunStore';
import { type UserAction } from './UserPlan';

export interface UserSyncResult {
  mode: 'full' | 'delta';
  counts: RunCounts;
  issues: RunIssue[];
  skippedByReason: Record<string, number>;
  outOfScopeByReason: Record<string, number>;
  /** Distinct directory users read in this run. */
  usersRead: number;
  notes: string[];
  pages: number;
  graphRequests: number;
  pbxRequests: number;
  /** Dry runs only: every action the run would have taken. */
  plannedActions?: UserAction[];
}
