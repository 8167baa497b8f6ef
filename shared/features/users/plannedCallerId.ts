import { type GraphUser } from '../../graph/GraphUser';
import { type PbxCallerId } from '../../pbx/ports/PbxCallerId';
import { type UserPlan } from './UserPlan';
import { outboundCallerIdFor } from './outboundCallerIdFor';
import { type UserSyncOptions } from './usersOptions';

/**
 * The caller ID planning writes for this user (null: none of ours). An unusable number means no caller ID of
 * ours, so a number we set earlier is removed rather than left stale, and, when `plan` is given, a notice
 * (`outboundCallerIdInvalid`): the rest of the user still syncs and counts by its action.
 */
export function plannedCallerId(user: GraphUser, options: UserSyncOptions, plan?: UserPlan): PbxCallerId | null {
  const result = outboundCallerIdFor(user, options.outboundCallerId);
  if (result.kind === 'set') return result.value;
  if (result.kind === 'invalid' && plan) {
    plan.notices.push({
      objectId: user.id,
      userPrincipalName: user.userPrincipalName ?? undefined,
      action: 'notice',
      code: 'outboundCallerIdInvalid',
      message: result.reason,
    });
  }
  return null;
}
