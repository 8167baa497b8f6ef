import { type AdoptAction } from './UserPlan';
import { type ApplyDeps, type StepResult, syncedFields, timestamp } from './applyContext';

/**
 * Takes over an unlinked PBX user with the same email: only the differing fields are written, so an
 * adoption touches nothing the PBX admin set that we agree on. Its link is created only after the binding,
 * and create-if-absent: a second writer adopting the same user fails at the link, not silently.
 */
export async function applyAdopt(deps: ApplyDeps, action: AdoptAction): Promise<StepResult> {
  if (Object.keys(action.changes).length > 0) await deps.pbx.updateUser(action.pbxUserId, action.changes);
  await deps.pbx.bindMicrosoft365(action.pbxUserId, action.objectId);
  return {
    final: {
      kind: 'create',
      link: {
        tenantId: deps.tenantId,
        objectId: action.objectId,
        state: 'active',
        origin: 'adopted',
        pbxUserId: action.pbxUserId,
        pbxUserName: action.pbxUserName,
        extensionNumber: action.extensionNumber,
        ...syncedFields(action.fields),
        boundToMicrosoft365: true,
        updatedAt: timestamp(deps),
      },
    },
    count: 'adopted',
  };
}
