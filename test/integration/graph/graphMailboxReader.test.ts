import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { type DeltaStart } from '../../../shared/graph/DirectoryReader';
import { GraphMailboxReader, type GraphMailboxReaderOptions } from '../../../shared/graph/GraphMailboxReader';
import { DEFAULT_CONTACT_FOLDER } from '../../../shared/graph/MailboxReader';
import { CONTACT_SELECT, type ContactsDeltaPage } from '../../../shared/graph/OutlookContact';
import { createGraphClient } from '../../../shared/graph/createGraphClient';
import { GraphSandbox, type SandboxUser, generateUsers } from '../../../sandbox/graph';
import { appErrorOf } from '../../support/appErrorOf';

let graph: GraphSandbox;
let reader: GraphMailboxReader;
let users: SandboxUser[];

async function readerOn(sandbox: GraphSandbox, options: GraphMailboxReaderOptions = {}): Promise<GraphMailboxReader> {
  const microsoft365 = TenantConfigSchema.shape.microsoft365.parse({
    directoryId: '00000000-0000-4000-8000-000000000001',
    applicationId: '00000000-0000-4000-8000-000000000002',
    auth: { kind: 'sandbox', graphBaseUrl: sandbox.baseUrl },
  });
  const connection = await createGraphClient({ microsoft365, credentialSecret: sandbox.token });
  return new GraphMailboxReader(connection.client, connection.versionRoot, connection.requestCount, options);
}

beforeAll(async () => {
  graph = await GraphSandbox.start();
  reader = await readerOn(graph);
});
afterAll(() => graph.stop());
beforeEach(() => {
  users = generateUsers(30, { seed: 21 });
  graph.seed(users);
  graph.stats.reset();
  graph.faults.setOutlookLatency(0);
});

async function round(
  mailbox: string,
  folderId: string,
  start: DeltaStart,
  on: GraphMailboxReader = reader,
): Promise<{ pages: ContactsDeltaPage[]; deltaLink: string }> {
  const pages: ContactsDeltaPage[] = [];
  for await (const page of on.contactsDelta(mailbox, folderId, start)) pages.push(page);
  return { pages, deltaLink: pages.at(-1)!.deltaLink! };
}

describe('GraphMailboxReader over the sandbox Graph: contacts', () => {
  it('reads a 5,000-contact folder fully, 500 per page, with immutable ids on every request', async () => {
    const mailbox = users[0]!.id;
    const folder = graph.createContactFolder(mailbox, 'Big');
    graph.seedContacts(mailbox, 5000, { folderId: folder.id, seed: 4 });
    const before = reader.requestCount();
    const { pages, deltaLink } = await round(mailbox, folder.id, { kind: 'initial' });
    expect(pages.map((p) => p.contacts.length)).toEqual(Array.from({ length: 10 }, () => 500));
    expect(new Set(pages.flatMap((p) => p.contacts.map((c) => c.id))).size).toBe(5000);
    expect(pages.every((p) => p.removedIds.length === 0)).toBe(true);
    expect(deltaLink).toContain('$deltatoken=');
    expect(reader.requestCount() - before).toBe(10);
    expect(graph.mailboxStats(mailbox)).toMatchObject({ requests: 10, withoutImmutableId: 0 });
    // Only the selected properties (and id, and the etag Outlook adds) come back.
    const keys = Object.keys(pages[0]!.contacts[0]!).sort();
    expect(keys).toEqual(['@odata.etag', 'id', ...CONTACT_SELECT].sort());
  });

  it('incremental rounds report edits once (latest state), cleared fields as null, deletions as ids', async () => {
    const mailbox = users[1]!.userPrincipalName;
    const a = graph.addContact(mailbox, { displayName: 'A', mobilePhone: '+1 1', emailAddresses: [{ name: 'A', address: 'a@x.example' }] });
    const b = graph.addContact(mailbox, { displayName: 'B' });
    const first = await round(mailbox, DEFAULT_CONTACT_FOLDER, { kind: 'initial' });
    expect(
      first.pages
        .flatMap((p) => p.contacts)
        .map((c) => c.displayName)
        .sort(),
    ).toEqual(['A', 'B']);

    graph.updateContact(mailbox, a.id, { displayName: 'A1' });
    graph.updateContact(mailbox, a.id, { displayName: 'A2', mobilePhone: null, emailAddresses: null });
    graph.deleteContact(mailbox, b.id);
    const c = graph.addContact(mailbox, { displayName: 'C' });
    const second = await round(mailbox, DEFAULT_CONTACT_FOLDER, { kind: 'link', url: first.deltaLink });
    const contacts = second.pages.flatMap((p) => p.contacts);
    expect(contacts.map((x) => x.id).sort()).toEqual([a.id, c.id].sort());
    expect(contacts.find((x) => x.id === a.id)).toMatchObject({ displayName: 'A2', mobilePhone: null, emailAddresses: [] });
    expect(second.pages.flatMap((p) => p.removedIds)).toEqual([b.id]);

    const third = await round(mailbox, DEFAULT_CONTACT_FOLDER, { kind: 'link', url: second.deltaLink });
    expect(third.pages.flatMap((p) => [...p.contacts, ...p.removedIds])).toEqual([]);
  });

  it('an expired token, or a link outside the version root, is DELTA_TOKEN_EXPIRED; a missing mailbox NOT_FOUND', async () => {
    const mailbox = users[2]!.id;
    graph.addContact(mailbox, { displayName: 'A' });
    const first = await round(mailbox, DEFAULT_CONTACT_FOLDER, { kind: 'initial' });
    graph.faults.expireContactDeltaTokens();
    const expired = await appErrorOf(round(mailbox, DEFAULT_CONTACT_FOLDER, { kind: 'link', url: first.deltaLink }));
    expect(expired.code).toBe('DELTA_TOKEN_EXPIRED');
    expect(expired.upstreamStatus).toBe(410);
    const elsewhere = await appErrorOf(
      round(mailbox, DEFAULT_CONTACT_FOLDER, { kind: 'link', url: 'https://graph.example/v1.0/users/x/contacts/delta?$deltatoken=1' }),
    );
    expect(elsewhere.code).toBe('DELTA_TOKEN_EXPIRED');
    expect((await appErrorOf(round('nobody@contoso.com', DEFAULT_CONTACT_FOLDER, { kind: 'initial' }))).code).toBe('NOT_FOUND');
    expect((await appErrorOf(round(mailbox, 'AAMk-unknown=', { kind: 'initial' }))).code).toBe('NOT_FOUND');
  });

  it('lists every folder at any depth, following pages of child folders', async () => {
    const mailbox = users[3]!.id;
    const top = Array.from({ length: 105 }, (_, i) => graph.createContactFolder(mailbox, `Top ${i}`));
    const level2 = graph.createContactFolder(mailbox, 'Level 2', top[104]!.id);
    const level3 = graph.createContactFolder(mailbox, 'Level 3', level2.id);
    const level4 = graph.createContactFolder(mailbox, 'Level 4', level3.id);
    const folders = await reader.listContactFolders(mailbox);
    expect(folders).toHaveLength(108);
    expect(new Set(folders.map((f) => f.id))).toEqual(new Set([...top, level2, level3, level4].map((f) => f.id)));
    expect(folders.find((f) => f.id === level4.id)).toEqual({ id: level4.id, displayName: 'Level 4' });
    expect(graph.mailboxStats(mailbox).maxInFlight).toBeLessThanOrEqual(4);
    expect(await reader.listContactFolders(users[4]!.id)).toEqual([]);
  });
});

describe('GraphMailboxReader over the sandbox Graph: photos', () => {
  it('none, then the photo, then unchanged (metadata only), then a changed photo, then none again', async () => {
    const user = users[5]!.id;
    expect(await reader.checkPhoto(user)).toEqual({ kind: 'none' });
    const bytes = Uint8Array.from([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]);
    const { etag } = graph.setUserPhoto(user, { bytes, contentType: 'image/jpeg' });
    const first = await reader.checkPhoto(user, undefined);
    expect(first).toEqual({ kind: 'photo', etag, image: { bytes, contentType: 'image/jpeg' } });
    graph.stats.reset();
    expect(await reader.checkPhoto(user, etag)).toEqual({ kind: 'unchanged', etag });
    expect(graph.stats.byRoute).toEqual({ 'GET /users/{id}/photo': 1 });
    const { etag: next } = graph.setUserPhoto(user, { contentType: 'image/png', bytes: Uint8Array.from([137, 80, 78, 71]) });
    const changed = await reader.checkPhoto(user, etag);
    expect(changed).toMatchObject({ kind: 'photo', etag: next, image: { contentType: 'image/png' } });
    graph.removeUserPhoto(user);
    expect(await reader.checkPhoto(user, next)).toEqual({ kind: 'none' });
  });

  it('refuses a photo larger than the cap with a clear error', async () => {
    const small = await readerOn(graph, { maxPhotoBytes: 1000 });
    graph.setUserPhoto(users[6]!.id, { sizeBytes: 5000 });
    const error = await appErrorOf(small.checkPhoto(users[6]!.id));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toContain('larger than 1000 bytes');
  });
});

describe('GraphMailboxReader over the sandbox Graph: Outlook limits per mailbox', () => {
  it('keeps every mailbox at 4 requests in flight or fewer while many mailboxes progress together', async () => {
    graph.faults.setOutlookLatency(40);
    const mailboxes = users.slice(0, 20).map((u) => u.id);
    const folders = new Map<string, string[]>();
    for (const mailbox of mailboxes) {
      const ids = Array.from({ length: 8 }, (_, i) => graph.createContactFolder(mailbox, `F${i}`).id);
      for (const id of ids) graph.seedContacts(mailbox, 30, { folderId: id });
      folders.set(mailbox, ids);
    }
    const paged = await readerOn(graph, { pageSize: 10 });
    const counts = await Promise.all(
      mailboxes.flatMap((mailbox) =>
        folders.get(mailbox)!.map(async (folderId) => {
          const { pages } = await round(mailbox, folderId, { kind: 'initial' }, paged);
          return pages.reduce((n, p) => n + p.contacts.length, 0);
        }),
      ),
    );
    expect(counts.every((n) => n === 30)).toBe(true);
    const stats = graph.outlookStats();
    for (const mailbox of mailboxes) {
      expect(stats[mailbox]!.maxInFlight).toBeLessThanOrEqual(4);
      expect(stats[mailbox]!.concurrencyThrottled).toBe(0);
      expect(stats[mailbox]!.requests).toBe(8 * 3);
    }
    expect(Math.max(...mailboxes.map((m) => stats[m]!.maxInFlight))).toBe(4);
    // Several mailboxes were served at the same time, not one after another.
    expect(graph.outlookPeakInFlight()).toBeGreaterThan(8);
  });
});

describe('GraphMailboxReader: a throttled mailbox', () => {
  it('pauses only that mailbox for Retry-After (its queued requests too); another mailbox goes on', async () => {
    const limited = await GraphSandbox.start({ outlookLimits: { requestsPerWindow: 5, windowMs: 1500 }, outlookLatencyMs: 300 });
    try {
      const [a, b] = generateUsers(2, { seed: 3 });
      limited.seed([a!, b!]);
      const aFolders = Array.from({ length: 12 }, (_, i) => limited.createContactFolder(a!.id, `A${i}`).id);
      for (const id of aFolders) limited.seedContacts(a!.id, 3, { folderId: id });
      limited.seedContacts(b!.id, 6);
      const on = await readerOn(limited, { pageSize: 3 });
      const started = performance.now();
      let bDone = 0;
      const readA = Promise.all(aFolders.map((id) => round(a!.id, id, { kind: 'initial' }, on)));
      const readB = round(b!.id, DEFAULT_CONTACT_FOLDER, { kind: 'initial' }, on).then((r) => {
        bDone = performance.now() - started;
        return r;
      });
      const [aRounds, bRound] = await Promise.all([readA, readB]);
      const aDone = performance.now() - started;
      expect(aRounds.flatMap((r) => r.pages.flatMap((p) => p.contacts))).toHaveLength(36);
      expect(bRound.pages.flatMap((p) => p.contacts)).toHaveLength(6);
      const aStats = limited.mailboxStats(a!.id);
      expect(aStats.windowThrottled).toBeGreaterThan(0);
      expect(aStats.maxInFlight).toBeLessThanOrEqual(4);
      // Nothing of mailbox A went out while its Retry-After ran, though 12 rounds were waiting to.
      expect(aStats.sentDuringRetryAfter).toBe(0);
      expect(limited.mailboxStats(b!.id).windowThrottled).toBe(0);
      // B's two pages take ~600 ms; A waits out two Retry-Afters (~5 s).
      expect(bDone).toBeLessThan(1500);
      expect(aDone).toBeGreaterThan(3000);
    } finally {
      await limited.stop();
    }
  });
});
