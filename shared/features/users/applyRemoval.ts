import { type DeleteAction, type UnlinkAction } from './UserPlan';
import { type ApplyDeps, type StepResult, dropLink, linkOf } from './applyContext';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The extension goes before its link: a crash in between leaves the link, so a replay deletes again
 * (already gone counts as done) instead of forgetting an extension that is still there. The freed number
 * is quarantined after the PBX delete and before the link goes (the link is what tells a replay the
 * number): a crash anywhere leaves the link, and the replay writes the quarantine (again) before dropping it.
 */
export async function applyDelete(deps: ApplyDeps, action: DeleteAction): Promise<StepResult> {
  const { extensionNumber, pbxUserName } = linkOf(deps, action.objectId);
  await deps.pbx.deleteUser(action.pbxUserId);
  // Nothing to act as any more: the kept portal password goes too (before the link, so a replay repeats it).
  await deps.pbx.releaseUser?.(pbxUserName);
  await quarantineFreedNumber(deps, action, extensionNumber);
  await dropLink(deps, action.objectId);
  return { count: 'deleted' };
}

/** Keeps a number freed by a delete from reuse for `quarantineDays` (0 or no store: reused at once). */
async function quarantineFreedNumber(deps: ApplyDeps, action: DeleteAction, number: string): Promise<void> {
  const { quarantine } = deps;
  if (!quarantine || quarantine.days <= 0) return;
  const now = (deps.now ?? (() => new Date()))();
  await quarantine.store.quarantine(deps.tenantId, number, {
    quarantinedAt: now.toISOString(),
    releaseAt: new Date(now.getTime() + quarantine.days * DAY_MS).toISOString(),
    objectId: action.objectId,
    reason: action.reason,
  });
}

/**
 * Retain policy: the extension stays with the PBX admin; our link goes, and with it the portal password the
 * connector kept (the extension is no longer the connector's to act as).
 */
export async function applyUnlink(deps: ApplyDeps, action: UnlinkAction): Promise<StepResult> {
  await deps.pbx.releaseUser?.(linkOf(deps, action.objectId).pbxUserName);
  await dropLink(deps, action.objectId);
  return { count: 'unlinked' };
}
