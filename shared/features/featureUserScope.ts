import { z } from 'zod';
import { guid } from '../config/guid';
import { type LinkedUser } from '../engine/LinkedUsers';
import { type FeatureContext } from './Feature';

/**
 * Whose data a per-user feature handles (personal contacts, calendar): every synced user, or the synced members
 * of chosen groups (transitively).
 */
export const FeatureUserScopeSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('ALL') }).strict(),
  z
    .object({
      mode: z.literal('GROUPS'),
      groups: z
        .array(guid.transform((g) => g.toLowerCase()))
        .min(1)
        .max(100)
        .transform((ids) => [...new Set(ids)].sort()),
    })
    .strict(),
]);
export type FeatureUserScope = z.infer<typeof FeatureUserScopeSchema>;

/** The given synced users that the scope holds (one transitive-members read per group for GROUPS). */
export async function usersInScope(
  context: Pick<FeatureContext<unknown>, 'directoryReader'>,
  scope: FeatureUserScope,
  users: readonly LinkedUser[],
): Promise<LinkedUser[]> {
  if (scope.mode === 'ALL') return [...users];
  const members = new Set<string>();
  for (const group of scope.groups)
    for (const id of await context.directoryReader.listGroupMemberUserIds(group, 'transitive')) members.add(id.toLowerCase());
  return users.filter((user) => members.has(user.objectId.toLowerCase()));
}
