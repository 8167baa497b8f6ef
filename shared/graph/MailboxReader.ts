import { type CalendarEvent } from './CalendarEvent';
import { type AvatarImage } from '../pbx/ports/PbxAvatars';
import { type DeltaStart } from './DirectoryReader';
import { type ContactFolder, type ContactsDeltaPage } from './OutlookContact';

/** The default contact folder of a mailbox, as MailboxReader addresses it. */
export const DEFAULT_CONTACT_FOLDER = 'default';

/** A user's Entra photo, as far as a check with the last known ETag tells. */
export type PhotoCheck = { kind: 'none' } | { kind: 'unchanged'; etag: string } | { kind: 'photo'; etag: string; image: AvatarImage };

/**
 * Port: what the connector reads from Outlook mailboxes and profile photos for one tenant. A mailbox is a
 * user's object id or a (shared) mailbox address. Adapters keep Outlook's limits per mailbox (at most 4
 * requests in flight; a 429's Retry-After pauses that mailbox only) and retry 429/503 themselves; an
 * expired delta link is AppError DELTA_TOKEN_EXPIRED, a mailbox or folder that does not exist NOT_FOUND, a
 * mailbox the app may not read (Exchange RBAC for Applications) FORBIDDEN.
 */
export interface MailboxReader {
  /** Every contact folder below the default one, at any depth (the default folder itself is DEFAULT_CONTACT_FOLDER). */
  listContactFolders(mailbox: string): Promise<ContactFolder[]>;
  /** One delta round of a folder's contacts (DEFAULT_CONTACT_FOLDER or a folder id), page by page. */
  contactsDelta(mailbox: string, folderId: string, start: DeltaStart): AsyncIterable<ContactsDeltaPage>;
  /** The user's photo unless its ETag is still `knownEtag` (then only the metadata was read). */
  checkPhoto(userId: string, knownEtag?: string): Promise<PhotoCheck>;
  /**
   * The events of a user's calendar that overlap [from, until), recurring series expanded into occurrences,
   * every page read (`calendarView`, times in UTC).
   */
  calendarView(mailbox: string, from: Date, until: Date): Promise<CalendarEvent[]>;
  /** Requests sent so far (for run statistics and benchmarks). */
  requestCount: () => number;
}
