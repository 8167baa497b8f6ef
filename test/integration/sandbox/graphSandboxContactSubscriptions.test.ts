import { describe, expect, it } from 'vitest';
import { type GraphSandbox, generateUsers } from '../../../sandbox/graph';
import { useGraphWithReceiver } from '../../support/useGraphWithReceiver';
import { type WebhookReceiver } from '../../support/webhookReceiver';
import { postSandboxSubscription } from '../../support/postSandboxSubscription';

type Json = Record<string, unknown>;

const sandbox = useGraphWithReceiver();

async function setup(): Promise<{ graph: GraphSandbox; receiver: WebhookReceiver; userId: string; upn: string }> {
  const { graph, receiver } = await sandbox.start({ batchWindowMs: 5, retryDelaysMs: [20] });
  const users = generateUsers(3, { seed: 8 });
  graph.seed(users);
  return { graph, receiver, userId: users[0]!.id, upn: users[0]!.userPrincipalName };
}

async function subscribe(resource: string, options: { path?: string; changeType?: string; minutes?: number } = {}) {
  return postSandboxSubscription(sandbox.graph, {
    resource,
    notificationUrl: sandbox.receiver.url(options.path ?? '/hook'),
    changeType: options.changeType,
    minutes: options.minutes,
    clientState: 'contacts-secret',
  });
}

describe('sandbox Graph: contact subscriptions', () => {
  it('accepts users/{id}/contacts and a folder’s contacts for up to 10,080 minutes, and refuses longer', async () => {
    const { graph, userId, upn } = await setup();
    const folder = graph.createContactFolder(userId, 'Customers');
    expect((await subscribe(`users/${userId}/contacts`, { minutes: 10_079 })).status).toBe(201);
    expect((await subscribe(`users/${upn}/contactFolders/${encodeURIComponent(folder.id)}/contacts`)).status).toBe(201);
    const tooLong = await subscribe(`users/${userId}/contacts`, { minutes: 10_081 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error!.message).toBe('Subscription expiration can only be 10080 minutes in the future.');
    // Users keep their own longer limit and their own change types.
    expect((await subscribe('users', { changeType: 'updated,deleted', minutes: 40_000 })).status).toBe(201);
    expect((await subscribe('users', { changeType: 'created,updated' })).status).toBe(400);
    expect((await subscribe(`users/nobody@contoso.com/contacts`)).status).toBe(404);
    expect((await subscribe(`users/${userId}/contactFolders/AAMk-unknown=/contacts`)).status).toBe(404);
    // Renewing a contacts subscription past 10,080 minutes is refused too.
    const id = (await subscribe(`users/${userId}/contacts`)).body.id as string;
    const renew = await fetch(`${graph.baseUrl}/v1.0/subscriptions/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${graph.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ expirationDateTime: new Date(Date.now() + 10_090 * 60_000).toISOString() }),
    });
    expect(renew.status).toBe(400);
  });

  it('delivers created, updated and deleted for the watched folder only, shaped like Graph’s', async () => {
    const { graph, receiver, userId } = await setup();
    const folder = graph.createContactFolder(userId, 'Customers');
    const defaultSub = (await subscribe(`users/${userId}/contacts`, { path: '/default' })).body.id as string;
    await subscribe(`users/${userId}/contactFolders/${encodeURIComponent(folder.id)}/contacts`, { path: '/folder', changeType: 'deleted' });
    await subscribe('users', { path: '/users', changeType: 'updated,deleted' });

    const a = graph.addContact(userId, { displayName: 'A' });
    const updated = graph.updateContact(userId, a.id, { displayName: 'A2' });
    graph.deleteContact(userId, a.id);
    const inFolder = graph.addContact(userId, { displayName: 'F' }, folder.id);
    graph.deleteContact(userId, inFolder.id);
    graph.addContact(generateUsers(3, { seed: 8 })[1]!.id, { displayName: 'Other mailbox' });
    await graph.flushNotifications();

    const items = receiver.items('/default');
    expect(items.map((i) => i.changeType)).toEqual(['created', 'updated', 'deleted']);
    expect(items[1]).toEqual({
      subscriptionId: defaultSub,
      subscriptionExpirationDateTime: expect.any(String),
      changeType: 'updated',
      resource: `Users/${userId}/Contacts/${a.id}`,
      resourceData: {
        '@odata.type': '#Microsoft.Graph.Contact',
        '@odata.id': `Users/${userId}/Contacts/${a.id}`,
        '@odata.etag': `W/"${updated.changeKey}"`,
        id: a.id,
      },
      clientState: 'contacts-secret',
      tenantId: graph.tenantId,
    });
    expect(receiver.items('/folder').map((i) => [i.changeType, (i.resourceData as Json).id])).toEqual([['deleted', inFolder.id]]);
    expect(receiver.items('/users')).toEqual([]);
  });
});
