import { type CalendarEvent, CalendarViewPageSchema } from './CalendarEvent';
import { type Client, ResponseType, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { AppError } from '../core/errors/AppError';
import { type DeltaStart } from './DirectoryReader';
import { GraphLinks } from './GraphLinks';
import { MailboxGate } from './MailboxGate';
import { DEFAULT_CONTACT_FOLDER, type MailboxReader, type PhotoCheck } from './MailboxReader';
import { CONTACT_SELECT, type ContactFolder, type ContactsDeltaPage } from './OutlookContact';
import { graphErrorFor, retryAfterMs } from './graphErrorFor';
import { parseContactsDeltaPage } from './parseContactsDeltaPage';

/** What a 403 on a mailbox asks for: the permission, or an Exchange RBAC scope that leaves the mailbox out. */
const OUTLOOK_PERMISSIONS = 'Contacts.Read and User.Read.All (and an Exchange RBAC scope that includes the mailbox)';
const CALENDAR_PERMISSIONS = 'Calendars.ReadBasic.All or Calendars.Read (and an Exchange RBAC scope that includes the mailbox)';

// Item ids stay the same when a contact moves between folders only with immutable ids, on every request.
const IMMUTABLE_IDS = 'IdType="ImmutableId"';

const SELECT = `$select=${CONTACT_SELECT.join(',')}`;

const FolderPageSchema = z.object({
  value: z.array(z.object({ id: z.string().min(1).max(1024), displayName: z.string().nullish() }).passthrough()),
  '@odata.nextLink': z.string().url().optional(),
});

const PhotoMetadataSchema = z.object({ '@odata.mediaEtag': z.string().min(1).nullish() }).passthrough();

export interface GraphMailboxReaderOptions {
  /** Requests in flight per mailbox, 1 to 4 (Outlook allows 4); default 4. */
  maxInFlightPerMailbox?: number;
  /** Contacts per delta page asked for (`Prefer: odata.maxpagesize`); default 500. */
  pageSize?: number;
  /** A larger photo is refused (PAYLOAD_TOO_LARGE); default 4 MB. */
  maxPhotoBytes?: number;
  /**
   * Retries of a 429/503/504 GET; keep it equal to the connection's (createGraphClient's default is 6), since
   * per-request retry options replace the client's (see `request`).
   */
  maxRetries?: number;
}

/** Seconds before the first retry without Retry-After; as in createGraphClient. */
const FIRST_RETRY_DELAY_SECONDS = 1;

/**
 * The MailboxReader adapter over Microsoft Graph for one tenant: contact folders, contact folder delta and
 * profile photos, within Outlook's limits per mailbox.
 *
 * Throttling: every request goes through a MailboxGate (at most 4 in flight per mailbox). The connection's
 * RetryHandler still does the waiting and retrying of a 429, but each request carries its own
 * RetryHandlerOptions whose shouldRetry callback sees the raw 429 response and pauses the mailbox in the
 * gate for its Retry-After. So the retried request waits as before, and the mailbox's other queued requests
 * wait with it instead of running into the same 429, while other mailboxes' requests go on. Catching the
 * final THROTTLED AppError instead would only learn of the pause after every retry was spent.
 */
export class GraphMailboxReader implements MailboxReader {
  private readonly links: GraphLinks;
  private readonly gate: MailboxGate;
  private readonly pageSize: number;
  private readonly maxPhotoBytes: number;
  private readonly maxRetries: number;

  /** `versionRoot` and `requestCount` come from the GraphConnection the client belongs to. */
  constructor(
    private readonly client: Client,
    versionRoot: string,
    private readonly counter: () => number,
    options: GraphMailboxReaderOptions = {},
  ) {
    this.links = new GraphLinks(versionRoot);
    // Never above Outlook's 4: a fifth concurrent request is refused.
    this.gate = new MailboxGate(Math.max(1, Math.min(4, Math.floor(options.maxInFlightPerMailbox ?? 4))));
    this.pageSize = options.pageSize ?? 500;
    this.maxPhotoBytes = options.maxPhotoBytes ?? 4 * 1024 * 1024;
    this.maxRetries = Math.max(0, Math.min(10, Math.floor(options.maxRetries ?? 6)));
  }

  requestCount = (): number => this.counter();

  async listContactFolders(mailbox: string): Promise<ContactFolder[]> {
    const base = `/users/${encodeURIComponent(mailbox)}/contactFolders`;
    const what = `reading the contact folders of mailbox ${mailbox}`;
    const folders: ContactFolder[] = [];
    const seen = new Set<string>();
    // Level by level: a level's folders are read in parallel (the gate keeps the mailbox at 4 in flight).
    let level = await this.listFolderPages(mailbox, `${base}?$select=id,displayName&$top=100`, what);
    while (level.length > 0) {
      const fresh = level.filter((f) => !seen.has(f.id));
      for (const f of fresh) {
        seen.add(f.id);
        folders.push(f);
      }
      const children = await Promise.all(
        fresh.map((f) =>
          this.listFolderPages(mailbox, `${base}/${encodeURIComponent(f.id)}/childFolders?$select=id,displayName&$top=100`, what),
        ),
      );
      level = children.flat();
    }
    return folders;
  }

  private async listFolderPages(mailbox: string, firstPath: string, what: string): Promise<ContactFolder[]> {
    const folders: ContactFolder[] = [];
    let path: string | undefined = firstPath;
    while (path) {
      const parsed = FolderPageSchema.safeParse(await this.get(mailbox, path, what));
      if (!parsed.success)
        throw new AppError('INTERNAL', `${what}: unexpected page from Graph: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      for (const f of parsed.data.value) folders.push({ id: f.id, displayName: f.displayName ?? '' });
      const next = parsed.data['@odata.nextLink'];
      path = next ? this.links.followedPath(next) : undefined;
    }
    return folders;
  }

  /** Fetches one page at a time, only when the caller asks for it, so memory stays flat for any folder size. */
  async *contactsDelta(mailbox: string, folderId: string, start: DeltaStart): AsyncIterable<ContactsDeltaPage> {
    const user = `/users/${encodeURIComponent(mailbox)}`;
    const what = `reading the contacts delta of mailbox ${mailbox}`;
    const first =
      folderId === DEFAULT_CONTACT_FOLDER
        ? `${user}/contacts/delta?${SELECT}`
        : `${user}/contactFolders/${encodeURIComponent(folderId)}/contacts/delta?${SELECT}`;
    const prefer = `odata.maxpagesize=${this.pageSize}`;
    yield* this.links.deltaRound(start, first, async (path) => parseContactsDeltaPage(await this.get(mailbox, path, what, prefer)));
  }

  async calendarView(mailbox: string, from: Date, until: Date): Promise<CalendarEvent[]> {
    const what = `reading the calendar of mailbox ${mailbox}`;
    const query = new URLSearchParams({
      startDateTime: from.toISOString(),
      endDateTime: until.toISOString(),
      $select: 'id,changeKey,showAs,isAllDay,isCancelled,start,end',
    });
    // Times in UTC, whatever the mailbox's own time zone.
    const prefer = `odata.maxpagesize=${Math.min(this.pageSize, 250)}, outlook.timezone="UTC"`;
    const events: CalendarEvent[] = [];
    let path: string | undefined = `/users/${encodeURIComponent(mailbox)}/calendarView?${query.toString()}`;
    while (path) {
      const parsed = CalendarViewPageSchema.safeParse(await this.get(mailbox, path, what, prefer, CALENDAR_PERMISSIONS));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError(
          'INTERNAL',
          `${what}: unexpected page from Graph at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
        );
      }
      events.push(...parsed.data.value);
      const next = parsed.data['@odata.nextLink'];
      path = next ? this.links.followedPath(next) : undefined;
    }
    return events;
  }

  async checkPhoto(userId: string, knownEtag?: string): Promise<PhotoCheck> {
    const user = `/users/${encodeURIComponent(userId)}`;
    const what = `reading the photo of user ${userId}`;
    let metadata: unknown;
    try {
      metadata = await this.get(userId, `${user}/photo`, what);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return { kind: 'none' };
      throw err;
    }
    const parsed = PhotoMetadataSchema.safeParse(metadata);
    if (!parsed.success)
      throw new AppError('INTERNAL', `${what}: unexpected photo metadata from Graph: ${parsed.error.issues[0]?.message}`);
    const etag = parsed.data['@odata.mediaEtag'] ?? undefined;
    if (etag !== undefined && etag === knownEtag) return { kind: 'unchanged', etag };
    return this.downloadPhoto(userId, `${user}/photo/$value`, etag, what);
  }

  /** `$value` as a raw response: its Content-Type and size are needed, and a large body is stopped early. */
  private async downloadPhoto(userId: string, path: string, metadataEtag: string | undefined, what: string): Promise<PhotoCheck> {
    return this.gate.run(userId, async () => {
      let response: Response;
      try {
        response = (await this.request(userId, path).responseType(ResponseType.RAW).get()) as Response;
      } catch (err) {
        throw graphErrorFor(err, what, OUTLOOK_PERMISSIONS);
      }
      // Removed between the metadata and the bytes.
      if (response.status === 404) {
        await response.body?.cancel();
        return { kind: 'none' };
      }
      if (!response.ok) throw graphErrorFor(await failureOf(response), what, OUTLOOK_PERMISSIONS);
      const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!contentType.startsWith('image/')) {
        await response.body?.cancel();
        throw new AppError('INTERNAL', `${what}: Graph sent a photo of type '${contentType || 'none'}'`);
      }
      const bytes = await this.readCapped(response, what);
      const etag = response.headers.get('etag') ?? metadataEtag;
      if (!etag) throw new AppError('INTERNAL', `${what}: Graph sent a photo without an ETag`);
      return { kind: 'photo', etag, image: { bytes, contentType } };
    });
  }

  private async readCapped(response: Response, what: string): Promise<Uint8Array> {
    const tooLarge = () =>
      new AppError('PAYLOAD_TOO_LARGE', `${what}: the photo is larger than ${this.maxPhotoBytes} bytes, the most the connector takes`);
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > this.maxPhotoBytes) {
      await response.body?.cancel();
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (response.body) {
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > this.maxPhotoBytes) {
          await reader.cancel();
          throw tooLarge();
        }
        chunks.push(value);
      }
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  }

  /** A JSON GET within the mailbox's gate; `prefer` adds to the immutable-id preference. */
  private get(mailbox: string, path: string, what: string, prefer?: string, permissions = OUTLOOK_PERMISSIONS): Promise<unknown> {
    return this.gate.run(mailbox, async () => {
      try {
        const request = this.request(mailbox, path);
        return (await (prefer ? request.header('Prefer', `${prefer}, ${IMMUTABLE_IDS}`) : request).get()) as unknown;
      } catch (err) {
        throw graphErrorFor(err, what, permissions);
      }
    });
  }

  /** A request with immutable ids and retry options that tell the gate about every 429 (see the class comment). */
  private request(mailbox: string, path: string) {
    const retry = new RetryHandlerOptions(FIRST_RETRY_DELAY_SECONDS, this.maxRetries, (_delay, _attempt, _request, _options, response) => {
      if (response.status === 429) this.gate.pause(mailbox, retryAfterMs(response.headers) ?? FIRST_RETRY_DELAY_SECONDS * 1000);
      return true;
    });
    return this.client.api(path).header('Prefer', IMMUTABLE_IDS).middlewareOptions([retry]);
  }
}

/** A non-2xx raw response in the shape graphErrorFor reads (status, Graph's error code and message, headers). */
async function failureOf(response: Response): Promise<{ statusCode: number; code?: string; message?: string; headers: Headers }> {
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: unknown; message?: unknown } } | undefined;
  const code = typeof body?.error?.code === 'string' ? body.error.code : undefined;
  const message = typeof body?.error?.message === 'string' ? body.error.message : undefined;
  return { statusCode: response.status, headers: response.headers, ...(code ? { code } : {}), ...(message ? { message } : {}) };
}
