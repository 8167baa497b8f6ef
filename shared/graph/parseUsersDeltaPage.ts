import { GraphUserSchema, type UsersDeltaPage } from './GraphUser';
import { parseDeltaPage } from './parseDeltaPage';

/**
 * Validates one page of `GET /users/delta` and splits it into users and removed users. A page we do not
 * understand is an INTERNAL error naming the problem, never an empty page: a page without information
 * must not read as "nobody changed" (or "everyone left").
 */
export function parseUsersDeltaPage(body: unknown): UsersDeltaPage {
  const { items, ...rest } = parseDeltaPage(body, 'users', 'user', GraphUserSchema);
  return { users: items, ...rest };
}
