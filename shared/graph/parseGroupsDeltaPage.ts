import { z } from 'zod';
import { type GraphGroup, type GraphGroupChange, type GroupMemberChange, type GroupsDeltaPage } from './GraphGroup';
import { parseDeltaPage } from './parseDeltaPage';

/** A group as Graph returns it (from /groups/delta or /groups/{id}); unknown properties pass through. */
export const GraphGroupSchema = z
  .object({
    id: z.string().min(1),
    displayName: z.string().nullish(),
    groupTypes: z.array(z.string()).optional(),
    securityEnabled: z.boolean().nullish(),
    mailEnabled: z.boolean().nullish(),
  })
  .passthrough();

// Any reason is accepted for a member: whatever Graph calls it, the member left this group.
const MemberEntrySchema = z
  .object({
    id: z.string().min(1),
    '@odata.type': z.string().optional(),
    '@removed': z.object({ reason: z.string() }).passthrough().optional(),
  })
  .passthrough();

const GroupChangeSchema = GraphGroupSchema.extend({ 'members@delta': z.array(MemberEntrySchema).optional() }).transform(
  (parsed): GraphGroupChange => ({
    ...graphGroupOf(parsed),
    memberChanges: (parsed['members@delta'] ?? []).map((member): GroupMemberChange => ({
      id: member.id,
      kind: memberKind(member['@odata.type']),
      removed: member['@removed'] !== undefined,
    })),
  }),
);

const MEMBER_KINDS: Record<string, GroupMemberChange['kind']> = {
  '#microsoft.graph.user': 'user',
  '#microsoft.graph.group': 'group',
};

function memberKind(odataType: string | undefined): GroupMemberChange['kind'] {
  if (odataType === undefined) return 'unknown';
  return MEMBER_KINDS[odataType.toLowerCase()] ?? 'other';
}

/** Only the GROUP_SELECT properties Graph sent: passthrough extras and `members@delta` stay behind. */
export function graphGroupOf(parsed: z.infer<typeof GraphGroupSchema>): GraphGroup {
  const group: GraphGroup = { id: parsed.id };
  if (parsed.displayName !== undefined) group.displayName = parsed.displayName;
  if (parsed.groupTypes !== undefined) group.groupTypes = parsed.groupTypes;
  if (parsed.securityEnabled !== undefined) group.securityEnabled = parsed.securityEnabled;
  if (parsed.mailEnabled !== undefined) group.mailEnabled = parsed.mailEnabled;
  return group;
}

/**
 * Validates one page of `GET /groups/delta` and splits it into groups (with this page's slice of their
 * `members@delta`) and removed groups. A page we do not understand is an INTERNAL error naming the problem,
 * never an empty page: a page without information must not read as "no group changed".
 */
export function parseGroupsDeltaPage(body: unknown): GroupsDeltaPage {
  const { items, ...rest } = parseDeltaPage(body, 'groups', 'group', GroupChangeSchema);
  return { groups: items, ...rest };
}
