import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { BearerTokenMiddleware } from '../../../shared/graph/BearerTokenMiddleware';
import { GraphDirectoryReader } from '../../../shared/graph/GraphDirectoryReader';
import { USER_SELECT } from '../../../shared/graph/GraphUser';
import { graphErrorFor } from '../../../shared/graph/graphErrorFor';
import { appErrorOf } from '../../support/appErrorOf';

const ROOT = 'https://graph.microsoft.com';

/** Stands in for the network: records each request and answers from a queue of JSON bodies. */
class RecordingTransport implements Middleware {
  readonly urls: string[] = [];
  readonly authorizations: (string | null)[] = [];
  readonly consistencyLevels: (string | null)[] = [];
  constructor(private readonly answers: { status?: number; body: unknown }[]) {}

  async execute(context: Context): Promise<void> {
    this.urls.push(String(context.request));
    this.authorizations.push(new Headers(context.options?.headers).get('Authorization'));
    this.consistencyLevels.push(new Headers(context.options?.headers).get('ConsistencyLevel'));
    const answer = this.answers.shift() ?? { status: 500, body: { error: { code: 'noAnswer', message: 'no canned answer' } } };
    context.response = new Response(JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  }
}

function readerOver(answers: { status?: number; body: unknown }[]): { reader: GraphDirectoryReader; transport: RecordingTransport } {
  const transport = new RecordingTransport(answers);
  const bearer = new BearerTokenMiddleware({ getAccessToken: async () => 'token-1' }, ROOT);
  bearer.setNext(transport);
  const client = Client.initWithMiddleware({ middleware: bearer, baseUrl: ROOT, defaultVersion: 'v1.0' });
  return { reader: new GraphDirectoryReader(client, `${ROOT}/v1.0`, () => transport.urls.length), transport };
}

async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable);
}

describe('GraphDirectoryReader (request shapes)', () => {
  it('names every selected property on the first request and follows links without changing them', async () => {
    const next = `${ROOT}/v1.0/users/delta?$skiptoken=pqwSUjGYvb3jQpbwVAwEL7yuI3dU1Lec_-fkkf%2BLPt%3D%3D`;
    const delta = `${ROOT}/v1.0/users/delta?$deltatoken=Ab-C_d%3D`;
    const { reader, transport } = readerOver([
      { body: { value: [{ id: 'u1' }], '@odata.nextLink': next } },
      { body: { value: [], '@odata.deltaLink': delta } },
    ]);
    await drain(reader.usersDelta({ kind: 'initial' }));
    expect(transport.urls).toEqual([`${ROOT}/v1.0/users/delta?$select=${USER_SELECT.join(',')}`, next]);
    for (const property of ['accountEnabled', 'userType', 'department', 'employeeId', 'onPremisesExtensionAttributes'])
      expect(transport.urls[0]).toContain(property);
    expect(transport.authorizations).toEqual(['Bearer token-1', 'Bearer token-1']);
  });

  it('resumes from a saved deltaLink exactly as Graph wrote it', async () => {
    const saved = `${ROOT}/v1.0/users/delta?$deltatoken=Xy_z-1%3D`;
    const { reader, transport } = readerOver([{ body: { value: [], '@odata.deltaLink': `${ROOT}/v1.0/users/delta?$deltatoken=next` } }]);
    await drain(reader.usersDelta({ kind: 'link', url: saved }));
    expect(transport.urls).toEqual([saved]);
  });

  it('fetches the next page only when the caller asks for it', async () => {
    const { reader, transport } = readerOver([
      { body: { value: [{ id: 'u1' }], '@odata.nextLink': `${ROOT}/v1.0/users/delta?$skiptoken=2` } },
      { body: { value: [{ id: 'u2' }], '@odata.deltaLink': `${ROOT}/v1.0/users/delta?$deltatoken=3` } },
    ]);
    const pages = reader.usersDelta({ kind: 'initial' })[Symbol.asyncIterator]();
    expect((await pages.next()).value).toMatchObject({ users: [{ id: 'u1' }] });
    expect(transport.urls).toHaveLength(1);
    expect((await pages.next()).value).toMatchObject({ users: [{ id: 'u2' }], deltaLink: `${ROOT}/v1.0/users/delta?$deltatoken=3` });
    expect((await pages.next()).done).toBe(true);
    expect(reader.requestCount()).toBe(2);
  });

  it('treats a saved link for another Graph endpoint as an expired token, and refuses foreign nextLinks', async () => {
    const other = readerOver([]);
    const expired = await appErrorOf(
      drain(other.reader.usersDelta({ kind: 'link', url: 'https://graph.microsoft.us/v1.0/users/delta?$deltatoken=a' })),
    );
    expect(expired.code).toBe('DELTA_TOKEN_EXPIRED');
    expect(other.transport.urls).toHaveLength(0);

    const foreign = readerOver([{ body: { value: [], '@odata.nextLink': 'https://evil.example.com/v1.0/users/delta?$skiptoken=a' } }]);
    const refused = await appErrorOf(drain(foreign.reader.usersDelta({ kind: 'initial' })));
    expect(refused.code).toBe('INTERNAL');
    expect(foreign.transport.urls).toHaveLength(1);
  });

  it('never sends the token outside the Graph root it was made for', async () => {
    const { reader, transport } = readerOver([]);
    const client = (reader as unknown as { client: Client }).client;
    const refused = await client
      .api('https://evil.example.com/v1.0/users')
      .get()
      .catch((err: unknown) => graphErrorFor(err, 'reading users'));
    expect(refused).toMatchObject({ code: 'INTERNAL' });
    expect(transport.urls).toHaveLength(0);
  });

  it('pages transitive user members as an advanced query: $count=true, ConsistencyLevel: eventual on every page', async () => {
    const next = `${ROOT}/v1.0/groups/g1/transitiveMembers/microsoft.graph.user?$count=true&$select=id&$top=999&$skiptoken=X1`;
    const { reader, transport } = readerOver([
      { body: { '@odata.count': 2, value: [{ '@odata.type': '#microsoft.graph.user', id: 'a' }], '@odata.nextLink': next } },
      { body: { value: [{ id: 'b' }] } },
    ]);
    expect(await reader.listGroupMemberUserIds('g1')).toEqual(['a', 'b']);
    expect(transport.urls).toEqual([`${ROOT}/v1.0/groups/g1/transitiveMembers/microsoft.graph.user?$count=true&$select=id&$top=999`, next]);
    expect(transport.consistencyLevels).toEqual(['eventual', 'eventual']);
    expect(transport.authorizations).toEqual(['Bearer token-1', 'Bearer token-1']);
  });

  it('sends no ConsistencyLevel header on delta or user reads (they need the consistent store)', async () => {
    const { reader, transport } = readerOver([
      { body: { value: [], '@odata.deltaLink': `${ROOT}/v1.0/users/delta?$deltatoken=1` } },
      { body: { id: 'u1' } },
    ]);
    await drain(reader.usersDelta({ kind: 'initial' }));
    await reader.getUser('u1');
    expect(transport.consistencyLevels).toEqual([null, null]);
  });

  it('maps a refused member listing to an AppError naming the group', async () => {
    const { reader } = readerOver([
      { status: 400, body: { error: { code: 'Request_UnsupportedQuery', message: 'required parameters might be missing' } } },
    ]);
    const err = await appErrorOf(reader.listGroupMemberUserIds('g9'));
    expect(err.upstreamStatus).toBe(400);
    expect(err.message).toContain('g9');
  });

  it('reads one user with the selected properties, null on 404', async () => {
    const { reader, transport } = readerOver([
      { body: { id: 'u1', accountEnabled: true } },
      { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: "Resource 'u2' does not exist" } } },
      { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } } },
    ]);
    expect(await reader.getUser('u1')).toMatchObject({ id: 'u1', accountEnabled: true });
    expect(transport.urls[0]).toBe(`${ROOT}/v1.0/users/u1?$select=${USER_SELECT.join(',')}`);
    expect(await reader.getUser('u2')).toBeNull();
    expect(await appErrorOf(reader.getUser('u3'))).toMatchObject({ code: 'FORBIDDEN', upstreamStatus: 403 });
  });

  it('lists deleted users by id across pages (lower-cased) and refuses a malformed page', async () => {
    const next = `${ROOT}/v1.0/directory/deletedItems/microsoft.graph.user?$skiptoken=X1`;
    const { reader, transport } = readerOver([
      { body: { value: [{ id: 'AAA-1', deletedDateTime: '2026-01-01T00:00:00Z' }], '@odata.nextLink': next } },
      { body: { value: [{ id: 'bbb-2', deletedDateTime: null }] } },
      { body: { value: [{ displayName: 'no id' }] } },
    ]);
    expect(await reader.listDeletedUserIds()).toEqual(new Set(['aaa-1', 'bbb-2']));
    expect(transport.urls).toEqual([`${ROOT}/v1.0/directory/deletedItems/microsoft.graph.user?$select=id,deletedDateTime&$top=999`, next]);
    expect(reader.requestCount()).toBe(2);
    expect(await appErrorOf(reader.listDeletedUserIds())).toMatchObject({ code: 'INTERNAL' });
  });

  it('answers whether one user is in the deleted items: true when found, false on 404, errors otherwise', async () => {
    const { reader, transport } = readerOver([
      { body: { '@odata.type': '#microsoft.graph.user', id: 'u1' } },
      { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: "Resource 'u2' does not exist" } } },
      { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } } },
    ]);
    expect(await reader.isDeletedUser('u1')).toBe(true);
    expect(transport.urls[0]).toBe(`${ROOT}/v1.0/directory/deletedItems/u1?$select=id`);
    expect(await reader.isDeletedUser('u2')).toBe(false);
    expect(await appErrorOf(reader.isDeletedUser('u3'))).toMatchObject({ code: 'FORBIDDEN' });
  });
});
