import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { BearerTokenMiddleware } from '../../../shared/graph/BearerTokenMiddleware';
import { GraphDirectoryReader } from '../../../shared/graph/GraphDirectoryReader';
import { appErrorOf } from '../../support/appErrorOf';

const ROOT = 'https://graph.microsoft.com';

/** Stands in for the network: answers every request with one text/plain body, recording what was asked. */
class TextTransport implements Middleware {
  readonly urls: string[] = [];
  readonly consistencyLevels: (string | null)[] = [];
  constructor(private readonly body: string) {}

  async execute(context: Context): Promise<void> {
    this.urls.push(String(context.request));
    this.consistencyLevels.push(new Headers(context.options?.headers).get('ConsistencyLevel'));
    context.response = new Response(this.body, { status: 200, headers: { 'content-type': 'text/plain' } });
  }
}

function readerAnswering(body: string): { reader: GraphDirectoryReader; transport: TextTransport } {
  const transport = new TextTransport(body);
  const bearer = new BearerTokenMiddleware({ getAccessToken: async () => 'token-1' }, ROOT);
  bearer.setNext(transport);
  const client = Client.initWithMiddleware({ middleware: bearer, baseUrl: ROOT, defaultVersion: 'v1.0' });
  return { reader: new GraphDirectoryReader(client, `${ROOT}/v1.0`, () => transport.urls.length), transport };
}

describe('GraphDirectoryReader.countUsers', () => {
  it('asks /users/$count with ConsistencyLevel: eventual and reads the plain number', async () => {
    const { reader, transport } = readerAnswering('10432');
    await expect(reader.countUsers()).resolves.toBe(10432);
    expect(transport.urls).toEqual([`${ROOT}/v1.0/users/$count`]);
    expect(transport.consistencyLevels).toEqual(['eventual']);
  });

  it('tolerates a byte order mark and a line break around the number', async () => {
    await expect(readerAnswering('\uFEFF17\r\n').reader.countUsers()).resolves.toBe(17);
  });

  it.each(['', 'many', '-3', '1.5', '{"value":3}'])('refuses %j as a count', async (body) => {
    const err = await appErrorOf(readerAnswering(body).reader.countUsers());
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toContain('unexpected user count from Graph');
  });
});
