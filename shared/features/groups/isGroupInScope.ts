import { type GraphGroup } from '../../graph/GraphGroup';
import { type GroupScope } from './groupsOptions';

/** What kind of group Entra says it is: Microsoft 365 (`Unified`), security, or neither (a distribution list). */
export function groupKind(
  group: Pick<GraphGroup, 'groupTypes' | 'securityEnabled' | 'mailEnabled'>,
): 'MICROSOFT365' | 'SECURITY' | 'OTHER' {
  if (group.groupTypes?.some((t) => t.toLowerCase() === 'unified')) return 'MICROSOFT365';
  return group.securityEnabled ? 'SECURITY' : 'OTHER';
}

/** Whether a group (with its properties read) is one the tenant syncs. */
export function isGroupInScope(group: GraphGroup, scope: GroupScope): boolean {
  switch (scope.mode) {
    case 'ALL':
      return true;
    case 'TYPES': {
      const kind = groupKind(group);
      return kind !== 'OTHER' && scope.types.includes(kind);
    }
    case 'CHOSEN':
      return scope.groups.includes(group.id.toLowerCase());
  }
}
