import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphSandbox } from '../../../sandbox/graph';
import { numberedGuid, numberedUser } from '../../support/numberedUser';

interface ListBody {
  value: Array<Record<string, unknown>>;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

let graph: GraphSandbox;
let clock = Date.parse('2026-03-01T12:00:00Z');

beforeAll(async () => {
  graph = await GraphSandbox.start({ pageSize: 50, now: () => clock });
});
afterAll(() => graph.stop());
beforeEach(() => {
  graph.seed(Array.from({ length: 5 }, (_, i) => numberedUser(i + 1, 'Del')));
  graph.stats.reset();
});

const call = (path: string, method = 'GET') =>
  fetch(path.startsWith('http') ? path : `${graph.baseUrl}/v1.0${path}`, { method, headers: { authorization: `Bearer ${graph.token}` } });

async function json<T>(path: string, method = 'GET'): Promise<T> {
  const res = await call(path, method);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

async function listAll(first: string): Promise<{ pages: number; items: Array<Record<string, unknown>> }> {
  const items: Array<Record<string, unknown>> = [];
  let next: string | undefined = first;
  let pages = 0;
  while (next) {
    const page: ListBody = await json<ListBody>(next);
    pages += 1;
    items.push(...page.value);
    next = page['@odata.nextLink'];
  }
  return { pages, items };
}

/** The delta items of the round after `deltaLink`, and the next deltaLink. */
async function deltaAfter(deltaLink: string): Promise<{ items: Array<Record<string, unknown>>; deltaLink: string }> {
  const page = await json<ListBody>(deltaLink);
  return { items: page.value, deltaLink: page['@odata.deltaLink']! };
}

describe('GraphSandbox deleted items (/directory/deletedItems)', () => {
  it('lists only soft-deleted users, with deletedDateTime, paged by $top', async () => {
    graph.softDeleteUser(numberedGuid(1));
    clock += 60_000;
    graph.softDeleteUser(numberedGuid(2));
    graph.softDeleteUser(numberedGuid(3));
    graph.hardDeleteUser(numberedGuid(3)); // purged: in neither place
    graph.hardDeleteUser(numberedGuid(4)); // deleted for good at once

    const { pages, items } = await listAll('/directory/deletedItems/microsoft.graph.user?$select=id,deletedDateTime&$top=1');
    expect(pages).toBe(2);
    expect(items).toEqual([
      { id: numberedGuid(1), deletedDateTime: '2026-03-01T12:00:00.000Z' },
      { id: numberedGuid(2), deletedDateTime: '2026-03-01T12:01:00.000Z' },
    ]);
    const full = await json<ListBody>('/directory/deletedItems/microsoft.graph.user');
    expect(full.value[0]).toMatchObject({ id: numberedGuid(1), displayName: 'Del User 1', deletedDateTime: expect.any(String) });
    expect(graph.stats.byRoute['GET /directory/deletedItems/microsoft.graph.user']).toBe(3);
  });

  it('answers one deleted item by id, and 404 for a live, purged or unknown user', async () => {
    graph.softDeleteUser(numberedGuid(1));
    graph.softDeleteUser(numberedGuid(2));
    graph.hardDeleteUser(numberedGuid(2));
    const item = await json<Record<string, unknown>>(`/directory/deletedItems/${numberedGuid(1)}`);
    expect(item).toMatchObject({ '@odata.type': '#microsoft.graph.user', id: numberedGuid(1), deletedDateTime: expect.any(String) });
    for (const id of [numberedGuid(2), numberedGuid(5), numberedGuid(99)]) {
      const res = await call(`/directory/deletedItems/${id}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('Request_ResourceNotFound');
    }
    expect(graph.stats.byRoute['GET /directory/deletedItems/{id}']).toBe(4);
  });

  it('restores a soft-deleted user: back in /users and in delta, gone from the deleted items', async () => {
    const start = await json<ListBody>('/users/delta?$deltatoken=latest');
    graph.softDeleteUser(numberedGuid(1));
    const soft = await deltaAfter(start['@odata.deltaLink']!);
    expect(soft.items).toEqual([{ id: numberedGuid(1), '@removed': { reason: 'changed' } }]);

    const restored = await json<Record<string, unknown>>(`/directory/deletedItems/${numberedGuid(1)}/restore`, 'POST');
    expect(restored).toMatchObject({ '@odata.type': '#microsoft.graph.user', id: numberedGuid(1), displayName: 'Del User 1' });
    expect(graph.getUser(numberedGuid(1))).toBeDefined();
    expect((await call(`/directory/deletedItems/${numberedGuid(1)}`)).status).toBe(404);
    const back = await deltaAfter(soft.deltaLink);
    expect(back.items).toEqual([expect.objectContaining({ id: numberedGuid(1), displayName: 'Del User 1' })]);
    // A live user cannot be restored again.
    expect((await call(`/directory/deletedItems/${numberedGuid(1)}/restore`, 'POST')).status).toBe(404);
  });

  it('purges a soft-deleted user with DELETE: delta then reports @removed reason deleted', async () => {
    const start = await json<ListBody>('/users/delta?$deltatoken=latest');
    graph.softDeleteUser(numberedGuid(2));
    const soft = await deltaAfter(start['@odata.deltaLink']!);
    const res = await call(`/directory/deletedItems/${numberedGuid(2)}`, 'DELETE');
    expect(res.status).toBe(204);
    expect((await call(`/directory/deletedItems/${numberedGuid(2)}`)).status).toBe(404);
    expect((await call(`/users/${numberedGuid(2)}`)).status).toBe(404);
    const hard = await deltaAfter(soft.deltaLink);
    expect(hard.items).toEqual([{ id: numberedGuid(2), '@removed': { reason: 'deleted' } }]);
    // Nothing left to purge or restore; a live user is not a deleted item either.
    expect((await call(`/directory/deletedItems/${numberedGuid(2)}`, 'DELETE')).status).toBe(404);
    expect((await call(`/directory/deletedItems/${numberedGuid(3)}`, 'DELETE')).status).toBe(404);
    expect(graph.getUser(numberedGuid(3))).toBeDefined();
  });

  it('refuses a bad $top, an unknown skip token and unsupported methods', async () => {
    expect((await call('/directory/deletedItems/microsoft.graph.user?$top=1000')).status).toBe(400);
    expect((await call('/directory/deletedItems/microsoft.graph.user?$skiptoken=forged')).status).toBe(400);
    expect((await call('/directory/deletedItems/microsoft.graph.user', 'POST')).status).toBe(405);
    expect((await call(`/directory/deletedItems/${numberedGuid(1)}/restore`)).status).toBe(405);
  });
});
