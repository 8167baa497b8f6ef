import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphSandbox, type SandboxUser, generateUsers } from '../../../sandbox/graph';
import { graphControlCall } from '../../support/graphControlCall';

type Json = Record<string, unknown>;
interface Page {
  value: Json[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

let graph: GraphSandbox;
let users: SandboxUser[];
const IMMUTABLE = 'IdType="ImmutableId"';

beforeAll(async () => {
  graph = await GraphSandbox.start();
});
afterAll(() => graph.stop());
beforeEach(() => {
  users = generateUsers(5, { seed: 11 });
  graph.seed(users);
  graph.stats.reset();
});

const get = (url: string, prefer = IMMUTABLE) =>
  fetch(url.startsWith('http') ? url : `${graph.baseUrl}/v1.0${url}`, { headers: { authorization: `Bearer ${graph.token}`, prefer } });

async function getJson<T = Page>(url: string, prefer?: string): Promise<T> {
  const res = await get(url, prefer);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

/** Follows a delta round to its deltaLink. */
async function round(start: string, prefer?: string): Promise<{ pages: Page[]; items: Json[]; deltaLink: string }> {
  const pages: Page[] = [];
  let next: string | undefined = start;
  while (next) {
    const page: Page = await getJson(next, prefer);
    pages.push(page);
    next = page['@odata.nextLink'];
  }
  return { pages, items: pages.flatMap((p) => p.value), deltaLink: pages.at(-1)!['@odata.deltaLink']! };
}

describe('sandbox Graph: contact folders', () => {
  it('lists the default folder’s children and nested folders with parentFolderId, paged with $top/$skip', async () => {
    const upn = users[0]!.userPrincipalName;
    const a = graph.createContactFolder(upn, 'Customers');
    const b = graph.createContactFolder(upn, 'Suppliers');
    const nested = graph.createContactFolder(upn, 'Key accounts', a.id);
    const deeper = graph.createContactFolder(upn, 'EMEA', nested.id);
    const top = await getJson(`/users/${encodeURIComponent(upn.toUpperCase())}/contactFolders`);
    expect(top.value).toEqual([
      { id: a.id, displayName: 'Customers', parentFolderId: graph.defaultContactFolderId(upn) },
      { id: b.id, displayName: 'Suppliers', parentFolderId: graph.defaultContactFolderId(upn) },
    ]);
    const children = await getJson(`/users/${users[0]!.id}/contactFolders/${encodeURIComponent(a.id)}/childFolders`);
    expect(children.value).toEqual([{ id: nested.id, displayName: 'Key accounts', parentFolderId: a.id }]);
    const grandchildren = await getJson(`/users/${users[0]!.id}/contactFolders/${encodeURIComponent(nested.id)}/childFolders`);
    expect(grandchildren.value.map((f) => f.id)).toEqual([deeper.id]);
    expect(a.id).toMatch(/[-_=]/);

    const paged = await getJson(`/users/${users[0]!.id}/contactFolders?$top=1`);
    expect(paged.value).toHaveLength(1);
    const rest = await getJson(paged['@odata.nextLink']!);
    expect(rest.value.map((f) => f.id)).toEqual([b.id]);
    expect(rest['@odata.nextLink']).toBeUndefined();
    // Another mailbox has only its own default folder.
    expect((await getJson(`/users/${users[1]!.id}/contactFolders`)).value).toEqual([]);
  });

  it('answers 404 for an unknown mailbox or folder, and refuses a duplicate folder name', async () => {
    expect((await get('/users/nobody@contoso.com/contactFolders')).status).toBe(404);
    const unknown = await get(`/users/${users[0]!.id}/contactFolders/AAMk-nope=/childFolders`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('ErrorItemNotFound');
    graph.createContactFolder(users[0]!.id, 'Dup');
    expect((await graphControlCall(graph, 'POST', `/mailboxes/${users[0]!.id}/contactFolders`, { displayName: 'dup' })).status).toBe(409);
  });
});

describe('sandbox Graph: contacts delta', () => {
  it('default folder: initial round, then only edits (latest state once), cleared fields, and @removed', async () => {
    const id = users[0]!.id;
    const kept = graph.addContact(id, { displayName: 'Kept', givenName: 'K', mobilePhone: '+1 1', businessPhones: ['+1 2'] });
    const edited = graph.addContact(id, {
      displayName: 'Edited',
      emailAddresses: [{ name: 'E', address: 'e@example.com' }],
      businessAddress: { city: 'Berlin' },
    });
    const doomed = graph.addContact(id, { displayName: 'Doomed' });
    expect(kept.id).toMatch(/-/);
    expect(kept.id).toMatch(/_/);
    expect(kept.id).toMatch(/=$/);
    const first = await round(`/users/${id}/contacts/delta`);
    expect(first.items.map((c) => c.displayName).sort()).toEqual(['Doomed', 'Edited', 'Kept']);
    const keptItem = first.items.find((c) => c.id === kept.id)!;
    expect(keptItem).toMatchObject({
      displayName: 'Kept',
      givenName: 'K',
      surname: null,
      mobilePhone: '+1 1',
      businessPhones: ['+1 2'],
      homePhones: [],
      emailAddresses: [],
      parentFolderId: graph.defaultContactFolderId(id),
      changeKey: kept.changeKey,
    });
    expect(first.deltaLink).toMatch(new RegExp(`^${graph.baseUrl}/v1\\.0/users/${id}/contacts/delta\\?\\$deltatoken=`));

    graph.updateContact(id, edited.id, { jobTitle: 'CEO' });
    graph.updateContact(id, edited.id, { emailAddresses: null, businessAddress: null, jobTitle: 'CFO' });
    graph.deleteContact(id, doomed.id);
    const created = graph.addContact(id, { displayName: 'New' });
    const transient = graph.addContact(id, { displayName: 'Gone before seen' });
    graph.deleteContact(id, transient.id);

    const second = await round(first.deltaLink);
    const byId = new Map(second.items.map((c) => [c.id, c]));
    expect([...byId.keys()].sort()).toEqual([edited.id, doomed.id, created.id].sort());
    expect(second.items).toHaveLength(3);
    expect(byId.get(edited.id)).toMatchObject({ jobTitle: 'CFO', emailAddresses: [], businessAddress: null });
    expect(byId.get(edited.id)!.changeKey).not.toBe(edited.changeKey);
    expect(byId.get(doomed.id)).toEqual({ id: doomed.id, '@removed': { reason: 'deleted' } });

    const third = await round(second.deltaLink);
    expect(third.items).toEqual([]);
  });

  it('a folder has its own delta; $select is honoured (id always); maxpagesize pages the round', async () => {
    const id = users[1]!.id;
    const folder = graph.createContactFolder(id, 'Partners');
    graph.seedContacts(id, 25, { folderId: folder.id, seed: 3 });
    graph.addContact(id, { displayName: 'In default' });
    const path = `/users/${id}/contactFolders/${encodeURIComponent(folder.id)}/contacts/delta`;
    const selected = await round(`${path}?$select=displayName,mobilePhone`, `odata.maxpagesize=10, ${IMMUTABLE}`);
    expect(selected.pages.map((p) => p.value.length)).toEqual([10, 10, 5]);
    expect(selected.items.every((c) => Object.keys(c).sort().join() === '@odata.etag,displayName,id,mobilePhone')).toBe(true);
    expect(new Set(selected.items.map((c) => c.id)).size).toBe(25);
    expect(selected.pages[0]!['@odata.nextLink']).toMatch(/\$skiptoken=/);

    const res = await get(`${path}?$select=displayName`, 'odata.maxpagesize=3');
    expect(res.headers.get('preference-applied')).toBe('odata.maxpagesize=3');
    expect(((await res.json()) as Page).value).toHaveLength(3);
    // Without the header: 100 per page by default.
    const defaults = await round(path);
    expect(defaults.pages).toHaveLength(1);
    expect(defaults.items).toHaveLength(25);
    expect(defaults.items[0]).toHaveProperty('businessAddress');

    const bad = await get(`${path}?$select=displayName,nope`);
    expect(bad.status).toBe(400);

    // The default folder's contact is not in the folder's round, and the folder's token does not work elsewhere.
    const edit = graph.addContact(id, { displayName: 'Later' }, folder.id);
    const next = await round(selected.deltaLink, `odata.maxpagesize=10, ${IMMUTABLE}`);
    expect(next.items).toEqual([{ '@odata.etag': expect.any(String), id: edit.id, displayName: 'Later', mobilePhone: null }]);
    const token = new URL(next.deltaLink).searchParams.get('$deltatoken')!;
    const elsewhere = await get(`/users/${id}/contacts/delta?$deltatoken=${token}`);
    expect(elsewhere.status).toBe(410);
  });

  it('an unknown or expired token is 410 syncStateNotFound; other mailboxes keep counting their own', async () => {
    const id = users[2]!.id;
    graph.addContact(id, { displayName: 'A' });
    const first = await round(`/users/${id}/contacts/delta`);
    const unknown = await get(`/users/${id}/contacts/delta?$deltatoken=not-a-token`);
    expect(unknown.status).toBe(410);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('syncStateNotFound');
    graph.faults.expireContactDeltaTokens();
    const expired = await get(first.deltaLink);
    expect(expired.status).toBe(410);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('syncStateNotFound');
    // A new initial round works again.
    const again = await round(`/users/${id}/contacts/delta?$select=displayName`);
    expect(again.items).toHaveLength(1);
    // A service-side reset: 410 with the initial URL (its $select kept) in Location.
    graph.faults.expireDeltaTokens('gone');
    const gone = await get(again.deltaLink);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('location')).toBe(`${graph.baseUrl}/v1.0/users/${id}/contacts/delta?$select=displayName`);
  });

  it('the control API adds, edits (null clears), deletes and seeds contacts; shared mailboxes have mailboxes too', async () => {
    const shared = await graphControlCall(graph, 'POST', '/mailboxes', { address: 'Reception@contoso.com', displayName: 'Reception' });
    expect(shared.status).toBe(201);
    expect(shared.body).toMatchObject({ accountEnabled: false, mail: 'Reception@contoso.com' });
    const sharedId = shared.body.id as string;
    const added = await graphControlCall(graph, 'POST', '/mailboxes/reception@CONTOSO.com/contacts', {
      displayName: 'Front desk',
      mobilePhone: '+1 5',
    });
    expect(added.status).toBe(201);
    const contactId = added.body.id as string;
    const patched = await graphControlCall(graph, 'PATCH', `/mailboxes/${sharedId}/contacts/${encodeURIComponent(contactId)}`, {
      mobilePhone: null,
      jobTitle: 'Desk',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.mobilePhone).toBeUndefined();
    expect(patched.body.jobTitle).toBe('Desk');
    const seeded = await graphControlCall(graph, 'POST', `/mailboxes/${sharedId}/contacts/seed`, { count: 40, seed: 2 });
    expect(seeded.body).toEqual({ created: 40 });
    const folders = await graphControlCall(graph, 'POST', `/mailboxes/${sharedId}/contactFolders`, { displayName: 'Vendors' });
    expect(folders.status).toBe(201);
    const all = await round(`/users/Reception@contoso.com/contacts/delta`);
    expect(all.items).toHaveLength(41);
    expect((await graphControlCall(graph, 'DELETE', `/mailboxes/${sharedId}/contacts/${encodeURIComponent(contactId)}`)).status).toBe(204);
    const after = await round(all.deltaLink);
    expect(after.items).toEqual([{ id: contactId, '@removed': { reason: 'deleted' } }]);
    expect((await graphControlCall(graph, 'GET', `/mailboxes/${sharedId}/contactFolders`)).body.value).toHaveLength(2);
    // The shared mailbox is a disabled user in the directory.
    const listed = await getJson(`/users/${sharedId}?$select=id,accountEnabled`);
    expect(listed).toMatchObject({ accountEnabled: false });
  });

  it('seeds 5,000 contacts quickly and pages them with maxpagesize', async () => {
    const id = users[3]!.id;
    const started = performance.now();
    graph.seedContacts(id, 5000, { seed: 9 });
    expect(performance.now() - started).toBeLessThan(2000);
    const all = await round(`/users/${id}/contacts/delta`, `odata.maxpagesize=1000, ${IMMUTABLE}`);
    expect(all.pages).toHaveLength(5);
    expect(new Set(all.items.map((c) => c.id)).size).toBe(5000);
  });
});

describe('sandbox Graph: photos', () => {
  it('metadata and bytes with an ETag that changes with the photo; 404 ImageNotFound without; never in users delta', async () => {
    const id = users[0]!.id;
    const usersRound = await round('/users/delta?$select=id,displayName');
    const none = await get(`/users/${id}/photo`);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('ImageNotFound');
    expect((await get(`/users/${id}/photo/$value`)).status).toBe(404);

    const { etag } = graph.setUserPhoto(id);
    const meta = await getJson<Json>(`/users/${users[0]!.userPrincipalName}/photo`);
    expect(meta).toMatchObject({
      '@odata.mediaContentType': 'image/jpeg',
      '@odata.mediaEtag': etag,
      id: '240X240',
      width: 240,
      height: 240,
    });
    const value = await get(`/users/${id}/photo/$value`);
    expect(value.headers.get('content-type')).toBe('image/jpeg');
    expect(value.headers.get('etag')).toBe(etag);
    const bytes = new Uint8Array(await value.arrayBuffer());
    expect(bytes[0]).toBe(0xff);
    expect(bytes[1]).toBe(0xd8);

    const put = await graphControlCall(graph, 'PUT', `/users/${id}/photo`, {
      base64: Buffer.from('png-bytes').toString('base64'),
      contentType: 'image/png',
    });
    expect(put.body.etag).not.toBe(etag);
    const replaced = await get(`/users/${id}/photo/$value`);
    expect(replaced.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await replaced.arrayBuffer()).toString()).toBe('png-bytes');

    expect((await graphControlCall(graph, 'DELETE', `/users/${id}/photo`)).status).toBe(204);
    expect((await get(`/users/${id}/photo`)).status).toBe(404);
    // Photo changes are not directory changes.
    expect((await round(usersRound.deltaLink)).items).toEqual([]);

    const bulk = await graphControlCall(graph, 'POST', '/photos', { allUsers: true });
    expect(bulk.body).toEqual({ set: 5 });
  });
});

describe('sandbox Graph: Outlook throttling per mailbox', () => {
  it('refuses the 5th concurrent request of a mailbox with 429 MailboxConcurrency; other mailboxes are unaffected', async () => {
    graph.faults.setOutlookLatency(150);
    try {
      const a = users[0]!.id;
      const b = users[1]!.id;
      const answers = await Promise.all([
        ...Array.from({ length: 6 }, () => get(`/users/${a}/contactFolders`)),
        ...Array.from({ length: 4 }, () => get(`/users/${b}/contactFolders`)),
      ]);
      const statusA = answers.slice(0, 6).map((r) => r.status);
      expect(statusA.filter((s) => s === 200)).toHaveLength(4);
      const refused = answers.slice(0, 6).filter((r) => r.status === 429);
      expect(refused).toHaveLength(2);
      expect(refused[0]!.headers.get('retry-after')).toBe('1');
      expect(((await refused[0]!.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'ApplicationThrottled',
        message: expect.stringContaining('MailboxConcurrency'),
      });
      expect(answers.slice(6).every((r) => r.status === 200)).toBe(true);
      expect(graph.mailboxStats(a)).toMatchObject({ requests: 6, concurrencyThrottled: 2, maxInFlight: 4, inFlight: 0 });
      expect(graph.mailboxStats(b)).toMatchObject({ requests: 4, concurrencyThrottled: 0, maxInFlight: 4 });
    } finally {
      graph.faults.setOutlookLatency(0);
    }
  });

  it('counts requests without immutable ids, and the stats reset with the sandbox stats', async () => {
    await get(`/users/${users[0]!.id}/contactFolders`, '');
    expect(graph.outlookStats()[users[0]!.id]).toMatchObject({ requests: 1, withoutImmutableId: 1 });
    expect((await graphControlCall(graph, 'GET', '/outlook/stats')).body.value).toHaveProperty(users[0]!.id);
    graph.stats.reset();
    expect(graph.outlookStats()).toEqual({});
  });
});

describe('sandbox Graph: the request budget per mailbox and window', () => {
  it('answers 429 with Retry-After once a mailbox spent its budget, until the window turns; others go on', async () => {
    const small = await GraphSandbox.start({ outlookLimits: { requestsPerWindow: 3, windowMs: 1500 } });
    try {
      const [u1, u2] = generateUsers(2, { seed: 4 });
      small.seed([u1!, u2!]);
      const call = (user: string) =>
        fetch(`${small.baseUrl}/v1.0/users/${user}/contactFolders`, {
          headers: { authorization: `Bearer ${small.token}`, prefer: IMMUTABLE },
        });
      for (let i = 0; i < 3; i += 1) expect((await call(u1!.id)).status).toBe(200);
      const refused = await call(u1!.id);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ApplicationThrottled');
      expect((await call(u2!.id)).status).toBe(200);
      expect(small.mailboxStats(u1!.id)).toMatchObject({ requests: 4, windowThrottled: 1, sentDuringRetryAfter: 0 });
      // Not waiting for Retry-After is seen (after a grace for requests already on the wire).
      await new Promise((r) => setTimeout(r, 250));
      expect((await call(u1!.id)).status).toBe(429);
      expect(small.mailboxStats(u1!.id)).toMatchObject({ requests: 5, windowThrottled: 2, sentDuringRetryAfter: 1 });
      await new Promise((r) => setTimeout(r, Number(refused.headers.get('retry-after')) * 1000));
      expect((await call(u1!.id)).status).toBe(200);
      expect(small.mailboxStats(u1!.id).sentDuringRetryAfter).toBe(1);
    } finally {
      await small.stop();
    }
  });
});
