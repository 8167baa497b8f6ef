import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphSandbox } from '../../../sandbox/graph';

type Json = Record<string, unknown>;

/** A webhook endpoint that passes Graph's handshake and keeps the notification items POSTed to each path. */
class Receiver {
  readonly items = new Map<string, Json[]>();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const receiver = new Receiver(server);
    const record = async (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      const url = new URL(req.url!, 'http://x');
      const token = url.searchParams.get('validationToken');
      if (token !== null) return res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
      const items = receiver.items.get(url.pathname) ?? [];
      items.push(...(JSON.parse(body) as { value: Json[] }).value);
      receiver.items.set(url.pathname, items);
      res.writeHead(202).end();
    };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void record(req, res));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** [changeType, resource] of the items one path received, in arrival order. */
  changes(path: string): [unknown, unknown][] {
    return (this.items.get(path) ?? []).map((i) => [i.changeType, i.resource]);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

let graph: GraphSandbox | undefined;
let receiver: Receiver | undefined;

afterEach(async () => {
  await graph?.stop();
  await receiver?.stop();
  graph = undefined;
  receiver = undefined;
});

async function subscribe(resource: string, path: string, changeType = 'updated,deleted'): Promise<string> {
  const response = await fetch(`${graph!.baseUrl}/v1.0/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${graph!.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      changeType,
      notificationUrl: receiver!.url(path),
      resource,
      expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(),
      clientState: 'secret',
    }),
  });
  const body = (await response.json()) as Json;
  expect(response.status, JSON.stringify(body)).toBe(201);
  expect(body.resource).toBe(resource);
  return body.id as string;
}

describe('sandbox Graph: group change notifications', () => {
  it('notifies groups subscriptions of every group change (deletion for good as deleted), never users subscriptions', async () => {
    graph = await GraphSandbox.start({ batchWindowMs: 5 });
    receiver = await Receiver.start();
    graph.seed(
      [{ id: 'u1', userPrincipalName: 'u1@contoso.com', businessPhones: [], accountEnabled: true, userType: 'Member' }],
      [{ id: 'G', displayName: 'G', groupTypes: ['Unified'], memberIds: [] }],
    );
    const all = await subscribe('groups', '/groups');
    await subscribe('groups/G', '/one');
    await subscribe('groups', '/deleted-only', 'deleted');
    await subscribe('users', '/users');

    graph.addGroup({ id: 'H', displayName: 'H', memberIds: [] });
    graph.updateGroup('G', { displayName: 'G 2' });
    graph.addGroupMember('G', 'u1');
    graph.removeGroupMember('G', 'u1');
    graph.setGroupMembers('G', ['H']);
    graph.softDeleteGroup('G');
    graph.restoreGroup('G');
    graph.hardDeleteGroup('H');
    await graph.flushNotifications();

    const g: [unknown, unknown] = ['updated', 'Groups/G'];
    expect(receiver.changes('/groups')).toEqual([['updated', 'Groups/H'], g, g, g, g, g, g, ['deleted', 'Groups/H']]);
    expect(receiver.changes('/one')).toEqual([g, g, g, g, g, g]);
    expect(receiver.changes('/deleted-only')).toEqual([['deleted', 'Groups/H']]);
    expect(receiver.changes('/users')).toEqual([]);

    expect(receiver.items.get('/groups')![0]).toEqual({
      subscriptionId: all,
      subscriptionExpirationDateTime: expect.any(String),
      changeType: 'updated',
      resource: 'Groups/H',
      resourceData: { '@odata.type': '#Microsoft.Graph.Group', '@odata.id': 'Groups/H', id: 'H', organizationId: graph.tenantId },
      clientState: 'secret',
      tenantId: graph.tenantId,
    });
  });

  it('sends nothing for seeding, and user changes reach users subscriptions only', async () => {
    graph = await GraphSandbox.start({ batchWindowMs: 5 });
    receiver = await Receiver.start();
    graph.seed([], []);
    await subscribe('groups', '/groups');
    await subscribe('users', '/users');
    graph.seed([], [{ id: 'G', displayName: 'G', memberIds: [] }]);
    graph.addUser({ id: 'u9', userPrincipalName: 'u9@contoso.com', businessPhones: [], accountEnabled: true, userType: 'Member' });
    await graph.flushNotifications();
    expect(receiver.changes('/groups')).toEqual([]);
    expect(receiver.changes('/users')).toEqual([['updated', 'Users/u9']]);
  });

  it('refuses resources the sandbox does not model', async () => {
    graph = await GraphSandbox.start();
    receiver = await Receiver.start();
    const response = await fetch(`${graph.baseUrl}/v1.0/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${graph.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        changeType: 'updated',
        notificationUrl: receiver.url('/x'),
        resource: 'groups/G/members',
        expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      "resource not supported by the sandbox: 'groups/G/members' (supported: users, users/{id}, groups, groups/{id})",
    );
  });
});
