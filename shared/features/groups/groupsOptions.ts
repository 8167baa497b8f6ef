import { z } from 'zod';
import { guid } from '../../config/guid';

/** Which Entra groups become PBX extension groups. */
export const GroupScopeSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('ALL') }).strict(),
  /** Security groups (not Microsoft 365), Microsoft 365 groups, or both; distribution lists are neither. */
  z
    .object({
      mode: z.literal('TYPES'),
      types: z
        .array(z.enum(['SECURITY', 'MICROSOFT365']))
        .min(1)
        .transform((types) => [...new Set(types)].sort()),
    })
    .strict(),
  z
    .object({
      mode: z.literal('CHOSEN'),
      groups: z
        .array(guid.transform((g) => g.toLowerCase()))
        .min(1)
        .max(500)
        .transform((ids) => [...new Set(ids)].sort()),
    })
    .strict(),
]);
export type GroupScope = z.infer<typeof GroupScopeSchema>;

/** What happens to the PBX group of an Entra group that is deleted or leaves the scope. */
export const GroupRemovalPolicySchema = z.enum([
  /** The connector deletes the PBX group it created. */
  'delete',
  /** The connector lets go of it: the group and its members stay on the PBX, for the PBX admin to keep or remove. */
  'retain',
]);
export type GroupRemovalPolicy = z.infer<typeof GroupRemovalPolicySchema>;

/** Groups → PBX extension groups. Every field has a default, so `{}` is valid (and off). */
export const GroupSyncOptionsSchema = z
  .object({
    enabled: z.boolean().default(false),
    scope: GroupScopeSchema.default({ mode: 'ALL' }),
    /**
     * `DIRECT`: a group's PBX members are its own synced users. `TRANSITIVE`: members of nested groups count
     * too, at any depth.
     */
    membership: z.enum(['DIRECT', 'TRANSITIVE']).default('DIRECT'),
    /** …when the Entra group is deleted (or, for a Microsoft 365 group, moved to the deleted items). */
    onDeleted: GroupRemovalPolicySchema.default('delete'),
    /** …when the group leaves the scope (another type, no longer chosen). */
    onOutOfScope: GroupRemovalPolicySchema.default('delete'),
  })
  .strict();
export type GroupSyncOptions = z.infer<typeof GroupSyncOptionsSchema>;
