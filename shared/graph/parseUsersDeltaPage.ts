import { z } from 'zod';
import { AppError } from '../core/errors/AppError';
import { type GraphUser, GraphUserSchema, RemovedReasonSchema, type RemovedUser, type UsersDeltaPage } from './GraphUser';

const DeltaPageSchema = z
  .object({
    value: z.array(z.record(z.string(), z.unknown())),
    '@odata.nextLink': z.string().url().optional(),
    '@odata.deltaLink': z.string().url().optional(),
  })
  .passthrough();

// An unknown reason stops the round: guessing "deleted" could remove extensions of users who still exist.
const RemovedItemSchema = z
  .object({ id: z.string().min(1), '@removed': z.object({ reason: RemovedReasonSchema }).passthrough() })
  .passthrough();

function unexpected(what: string, error: z.ZodError): AppError {
  const issue = error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.map(String).join('.')}` : '';
  return new AppError('INTERNAL', `unexpected users delta page from Graph: ${what}${where}: ${issue?.message ?? 'invalid'}`);
}

/**
 * Validates one page of `GET /users/delta` and splits it into users and removed users. A page we do not
 * understand is an INTERNAL error naming the problem, never an empty page: a page without information
 * must not read as "nobody changed" (or "everyone left").
 */
export function parseUsersDeltaPage(body: unknown): UsersDeltaPage {
  const page = DeltaPageSchema.safeParse(body);
  if (!page.success) throw unexpected('the page', page.error);
  const users: GraphUser[] = [];
  const removed: RemovedUser[] = [];
  page.data.value.forEach((item, index) => {
    if ('@removed' in item) {
      const parsed = RemovedItemSchema.safeParse(item);
      if (!parsed.success) throw unexpected(`removed item value[${index}]`, parsed.error);
      removed.push({ id: parsed.data.id, reason: parsed.data['@removed'].reason });
    } else {
      const parsed = GraphUserSchema.safeParse(item);
      if (!parsed.success) throw unexpected(`user value[${index}]`, parsed.error);
      users.push(parsed.data);
    }
  });
  const nextLink = page.data['@odata.nextLink'];
  const deltaLink = page.data['@odata.deltaLink'];
  if (nextLink && deltaLink)
    throw new AppError('INTERNAL', 'unexpected users delta page from Graph: it has both a nextLink and a deltaLink');
  if (nextLink) return { users, removed, nextLink };
  if (deltaLink) return { users, removed, deltaLink };
  throw new AppError('INTERNAL', 'unexpected users delta page from Graph: it has neither a nextLink nor a deltaLink');
}
