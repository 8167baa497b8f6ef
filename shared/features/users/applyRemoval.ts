import { type DeleteAction, type UnlinkAction } from './UserPlan';
import { type ApplyDeps, type StepResult, dropLink } from './applyContext';

/**
 * The extension goes before its link: a crash in between leaves the link, so a replay deletes again
 * (already gone counts as done) instead of forgetting an extension that is still there.
 */
export async function applyDelete(deps: ApplyDeps, action: DeleteAction): Promise<StepResult> {
  await deps.pbx.deleteUser(action.pbxUserId);
  await dropLink(deps, action.objectId);
  return { count: 'deleted' };
}

/** Retain policy: the extension stays with the PBX admin, only our link goes. */
export async function applyUnlink(deps: ApplyDeps, action: UnlinkAction): Promise<StepResult> {
  await dropLink(deps, action.objectId);
  return { count: 'unlinked' };
}
