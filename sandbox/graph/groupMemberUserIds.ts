import { type SandboxGroup } from './SandboxUser';

/**
 * The user ids in a group, in order and without repeats. Direct members skip nested groups (Graph's
 * `/members/microsoft.graph.user` cast drops them); transitive members expand them, guarding against cycles.
 */
export function groupMemberUserIds(
  groups: ReadonlyMap<string, SandboxGroup>,
  groupId: string,
  transitive: boolean,
  isLiveUser: (id: string) => boolean,
): string[] {
  const out = new Set<string>();
  const visited = new Set<string>([groupId]);
  const walk = (id: string): void => {
    for (const member of groups.get(id)?.memberIds ?? []) {
      if (groups.has(member)) {
        if (transitive && !visited.has(member)) {
          visited.add(member);
          walk(member);
        }
      } else if (isLiveUser(member)) out.add(member);
    }
  };
  walk(groupId);
  return [...out];
}
