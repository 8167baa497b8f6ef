import { type ContactsDeltaPage, OutlookContactSchema } from './OutlookContact';
import { parseDeltaPage } from './parseDeltaPage';

/**
 * Validates one page of a contact folder's delta and splits it into contacts and removed ids. As for users,
 * a page we do not understand is an INTERNAL error naming the problem, never an empty page.
 */
export function parseContactsDeltaPage(body: unknown): ContactsDeltaPage {
  const { items, removed, ...links } = parseDeltaPage(body, 'contacts', 'contact', OutlookContactSchema);
  return { contacts: items, removedIds: removed.map((r) => r.id), ...links };
}
