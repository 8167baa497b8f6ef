import { describe, expect, it } from 'vitest';
import { useGraphWithReceiver } from '../../support/useGraphWithReceiver';

type Json = Record<string, unknown>;

/** [changeType, resource] of the items one path received, in arrival order. */
const changes = (path: string): [unknown, unknown][] => sandbox.receiver.items(path).map((i) => [i.changeType, i.resource]);

const sandbox = useGraphWithReceiver();

async function subscribe(resource: string, path: string, changeType = 'updated,deleted'): Promise<string> {
  const response = await fetch(`${sandbox.graph.baseUrl}/v1.0/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.graph.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      changeType,
      notificationUrl: sandbox.receiver.url(path),
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
    const { graph, receiver } = await sandbox.start({ batchWindowMs: 5 });
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
    expect(changes('/groups')).toEqual([['updated', 'Groups/H'], g, g, g, g, g, g, ['deleted', 'Groups/H']]);
    expect(changes('/one')).toEqual([g, g, g, g, g, g]);
    expect(changes('/deleted-only')).toEqual([['deleted', 'Groups/H']]);
    expect(changes('/users')).toEqual([]);

    expect(receiver.items('/groups')[0]).toEqual({
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
    const { graph } = await sandbox.start({ batchWindowMs: 5 });
    graph.seed([], []);
    await subscribe('groups', '/groups');
    await subscribe('users', '/users');
    graph.seed([], [{ id: 'G', displayName: 'G', memberIds: [] }]);
    graph.addUser({ id: 'u9', userPrincipalName: 'u9@contoso.com', businessPhones: [], accountEnabled: true, userType: 'Member' });
    await graph.flushNotifications();
    expect(changes('/groups')).toEqual([]);
    expect(changes('/users')).toEqual([['updated', 'Users/u9']]);
  });

  it('refuses resources the sandbox does not model', async () => {
    const { graph, receiver } = await sandbox.start();
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
