import { z } from 'zod';
import { AppError } from '../core/errors/AppError';
import { type GraphGroup, type GraphGroupChange, type GroupMemberChange, type GroupsDeltaPage, type RemovedGroup } from './GraphGroup';
import { RemovedReasonSchema } from './GraphUser';

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

const DeltaPageSchema = z
  .object({
    value: z.array(z.record(z.string(), z.unknown())),
    '@odata.nextLink': z.string().url().optional(),
    '@odata.deltaLink': z.string().url().optional(),
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

const GroupChangeSchema = GraphGroupSchema.extend({ 'members@delta': z.array(MemberEntrySchema).optional() });

// An unknown reason stops the round: guessing "deleted" could drop the links of a group that can come back.
const RemovedItemSchema = z
  .object({ id: z.string().min(1), '@removed': z.object({ reason: RemovedReasonSchema }).passthrough() })
  .passthrough();

const MEMBER_KINDS: Record<string, GroupMemberChange['kind']> = {
  '#microsoft.graph.user': 'user',
  '#microsoft.graph.group': 'group',
};

function unexpected(what: string, error: z.ZodError): AppError {
  const issue = error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.map(String).join('.')}` : '';
  return new AppError('INTERNAL', `unexpected groups delta page from Graph: ${what}${where}: ${issue?.message ?? 'invalid'}`);
}

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
  const page = DeltaPageSchema.safeParse(body);
  if (!page.success) throw unexpected('the page', page.error);
  const groups: GraphGroupChange[] = [];
  const removed: RemovedGroup[] = [];
  page.data.value.forEach((item, index) => {
    if ('@removed' in item) {
      const parsed = RemovedItemSchema.safeParse(item);
      if (!parsed.success) throw unexpected(`removed item value[${index}]`, parsed.error);
      removed.push({ id: parsed.data.id, reason: parsed.data['@removed'].reason });
      return;
    }
    const parsed = GroupChangeSchema.safeParse(item);
    if (!parsed.success) throw unexpected(`group value[${index}]`, parsed.error);
    const memberChanges = (parsed.data['members@delta'] ?? []).map((member): GroupMemberChange => ({
      id: member.id,
      kind: memberKind(member['@odata.type']),
      removed: member['@removed'] !== undefined,
    }));
    groups.push({ ...graphGroupOf(parsed.data), memberChanges });
  });
  const nextLink = page.data['@odata.nextLink'];
  const deltaLink = page.data['@odata.deltaLink'];
  if (nextLink && deltaLink)
    throw new AppError('INTERNAL', 'unexpected groups delta page from Graph: it has both a nextLink and a deltaLink');
  if (nextLink) return { groups, removed, nextLink };
  if (deltaLink) return { groups, removed, deltaLink };
  throw new AppError('INTERNAL', 'unexpected groups delta page from Graph: it has neither a nextLink nor a deltaLink');
}
