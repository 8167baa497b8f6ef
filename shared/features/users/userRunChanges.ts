import { type RunChangeInput } from '../../engine/RunChange';
import { type ApplyOutcome } from './ApplyOutcome';
import { type QuietItem, type UserAction } from './UserPlan';
import { usersManifest } from './usersManifest';

const feature = usersManifest.name;

/** The change-list items of users that needed no write. */
export function quietRunChanges(items: readonly QuietItem[]): RunChangeInput[] {
  return items.map((item) => {
    const base = {
      feature,
      sourceId: item.objectId,
      label: item.userPrincipalName,
      pbxId: item.link?.pbxUserId,
      extension: item.link?.extensionNumber,
    };
    return item.outcome === 'outOfScope'
      ? { ...base, outcome: 'outOfScope', reason: item.reason ?? 'outOfScope' }
      : { ...base, outcome: 'unchanged' };
  });
}

/**
 * The change-list items of applied actions: what each did, or how it failed (the outcome's issues name the
 * failed ones). Field names only, never values.
 */
export function appliedRunChanges(actions: readonly UserAction[], outcome: ApplyOutcome): RunChangeInput[] {
  const failures = new Map<string, { code: string; message: string }>();
  for (const issue of outcome.issues) {
    if (issue.objectId && issue.action !== 'skip' && issue.action !== 'notice') {
      failures.set(`${issue.objectId}/${issue.action}`, { code: issue.code, message: issue.message });
    }
  }
  return actions.map((action): RunChangeInput => {
    const base = { feature, sourceId: action.objectId, label: action.userPrincipalName };
    if (action.kind === 'skip') return { ...base, outcome: 'skipped', reason: action.code };
    const failure = failures.get(`${action.objectId}/${action.kind}`);
    switch (action.kind) {
      case 'create': {
        const target = { ...base, extension: action.user.extensionNumber };
        return failure ? { ...target, outcome: 'failed', ...failure } : { ...target, outcome: 'created' };
      }
      case 'adopt': {
        const target = { ...base, pbxId: action.pbxUserId, extension: action.extensionNumber };
        return failure ? { ...target, outcome: 'failed', ...failure } : { ...target, outcome: 'adopted' };
      }
      case 'update':
      case 'disable': {
        const target = { ...base, pbxId: action.pbxUserId };
        if (failure) return { ...target, outcome: 'failed', ...failure };
        return action.kind === 'update'
          ? { ...target, outcome: 'updated', fields: Object.keys(action.changes) }
          : { ...target, outcome: 'disabled' };
      }
      case 'delete':
        return failure
          ? { ...base, pbxId: action.pbxUserId, outcome: 'failed', ...failure }
          : { ...base, pbxId: action.pbxUserId, outcome: 'deleted' };
      case 'unlink':
        return failure ? { ...base, outcome: 'failed', ...failure } : { ...base, outcome: 'unlinked' };
    }
  });
}
