import { AppError, isAppError } from '../../core/errors/AppError';
import { type UpdateAction } from './UserPlan';
import { type ApplyDeps, type StepResult, dropLink, linkOf, syncedFields, timestamp } from './applyContext';

/**
 * Writes the changed fields of a linked user (a disable is an update of `enabled`). An extension someone
 * removed on the PBX is not recreated here: its link is forgotten, so the next run plans a clean create.
 */
export async function applyUpdate(deps: ApplyDeps, action: UpdateAction): Promise<StepResult> {
  const link = linkOf(deps, action.objectId);
  try {
    await deps.pbx.updateUser(action.pbxUserId, action.changes);
  } catch (err) {
    if (!isAppError(err, 'NOT_FOUND')) throw err;
    await dropLink(deps, action.objectId);
    throw new AppError('NOT_FOUND', 'the linked PBX extension no longer exists; it will be recreated on the next run', {
      upstreamCode: 'pbxUserMissing',
    });
  }
  return {
    final: { kind: 'update', link: { ...link, ...syncedFields(action.fields), updatedAt: timestamp(deps) } },
    count: action.kind === 'update' ? 'updated' : 'disabled',
  };
}
