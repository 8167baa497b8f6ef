import { z } from 'zod';
import { AppError } from '../core/errors/AppError';
import { RemovedReasonSchema, type RemovedUser } from './GraphUser';

const DeltaPageSchema = z
  .object({
    value: z.array(z.record(z.string(), z.unknown())),
    '@odata.nextLink': z.string().url().optional(),
    '@odata.deltaLink': z.string().url().optional(),
  })
  .passthrough();

// An unknown reason stops the round: guessing "deleted" could remove PBX records of objects that still exist.
const RemovedItemSchema = z
  .object({ id: z.string().min(1), '@removed': z.object({ reason: RemovedReasonSchema }).passthrough() })
  .passthrough();

/** One delta page split into its objects and its removed objects, with exactly one of its two links. */
export type ParsedDeltaPage<Item> = { items: Item[]; removed: RemovedUser[] } & ({ nextLink: string } | { deltaLink: string });

/**
 * Validates one page of a directory delta (`/users/delta`, `/groups/delta`). A page we do not understand is
 * an INTERNAL error naming the problem, never an empty page: a page without information must not read as
 * "nothing changed" (or "everything left").
 */
export function parseDeltaPage<Item>(
  body: unknown,
  collection: string,
  itemName: string,
  itemSchema: z.ZodType<Item>,
): ParsedDeltaPage<Item> {
  const unexpected = (what: string, error: z.ZodError): AppError => {
    const issue = error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.map(String).join('.')}` : '';
    return new AppError('INTERNAL', `unexpected ${collection} delta page from Graph: ${what}${where}: ${issue?.message ?? 'invalid'}`);
  };
  const page = DeltaPageSchema.safeParse(body);
  if (!page.success) throw unexpected('the page', page.error);
  const items: Item[] = [];
  const removed: RemovedUser[] = [];
  page.data.value.forEach((item, index) => {
    if ('@removed' in item) {
      const parsed = RemovedItemSchema.safeParse(item);
      if (!parsed.success) throw unexpected(`removed item value[${index}]`, parsed.error);
      removed.push({ id: parsed.data.id, reason: parsed.data['@removed'].reason });
    } else {
      const parsed = itemSchema.safeParse(item);
      if (!parsed.success) throw unexpected(`${itemName} value[${index}]`, parsed.error);
      items.push(parsed.data);
    }
  });
  const nextLink = page.data['@odata.nextLink'];
  const deltaLink = page.data['@odata.deltaLink'];
  if (nextLink && deltaLink)
    throw new AppError('INTERNAL', `unexpected ${collection} delta page from Graph: it has both a nextLink and a deltaLink`);
  if (nextLink) return { items, removed, nextLink };
  if (deltaLink) return { items, removed, deltaLink };
  throw new AppError('INTERNAL', `unexpected ${collection} delta page from Graph: it has neither a nextLink nor a deltaLink`);
}
