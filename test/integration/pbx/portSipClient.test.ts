import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors/AppError';
import { PortSipClient } from '../../../shared/pbx/portsip/PortSipClient';
import { PbxUser } from '../../../shared/pbx/PbxClient';
import { PortSipSandbox, PortSipSandboxOptions } from '../../sandbox/portsip';

let pbx: PortSipSandbox;
afterEach(() => pbx?.stop());

async function setup(options: PortSipSandboxOptions = {}, rate = 600_000) {
  pbx = await PortSipSandbox.start(options);
  const { username, password, domain } = pbx.credentials;
  return new PortSipClient({ baseUrl: pbx.baseUrl, domain, username, password, role: 'StandardUser', rateLimitPerMinute: rate, maxConcurrency: 8 });
}

const newUser = (n: number) => ({ userName: `user${n}`, extensionNumber: String(1000 + n), displayName: `User ${n}`, email: `user${n}@contoso.com`, mobilePhone: '', workPhone: '+1 425 555 0100', department: 'Sales', enabled: true });
const codeOf = (e: unknown) => (e instanceof AppError ? e.code : String(e));

describe('PortSipClient against the sandbox PortSIP', () => {
  it('creates, reads, updates only the given fields, binds and deletes', async () => {
    const client = await setup();
    const { id } = await client.createUser(newUser(1));
    expect(await client.getUser(id)).toMatchObject({ userName: 'user1', extensionNumber: '1001', displayName: 'User 1', workPhone: '+1 425 555 0100', enabled: true });
    await client.updateUser(id, { department: '', enabled: false });
    expect(pbx.getUser(id)).toMatchObject({ department: null, enabled: false, display_name: 'User 1' });
    await client.bindMicrosoft365(id, 'entra-oid-1');
    expect(pbx.getUser(id)?.ms365_binding).toBe('entra-oid-1');
    await client.deleteUser(id);
    await client.deleteUser(id); // already gone: not an error
    expect(await client.getUser(id)).toBeNull();
  });

  it('pages through more than 100 users and lists numbers held by non-users', async () => {
    const client = await setup();
    for (let i = 0; i < 230; i += 1) pbx.addUser({ name: `u${i}`, extension_number: String(3000 + i), email: `u${i}@x.com` });
    pbx.addNumberHolder('600', 'RING_GROUP');
    pbx.addNumberHolder('601', 'CALL_QUEUE');
    const all: PbxUser[] = [];
    for await (const page of client.listUsers()) all.push(...page);
    expect(all).toHaveLength(230);
    expect((await client.listNonUserNumbers()).sort()).toEqual(['600', '601']);
    expect(await client.findNumberOwner('600')).toMatchObject({ type: 'RING_GROUP' });
    expect(await client.findNumberOwner('3001')).toMatchObject({ type: 'EXTENSION', name: 'u1' });
    expect(await client.findNumberOwner('999')).toBeNull();
  });

  it('signs in again when its token expires', async () => {
    const client = await setup();
    await client.createUser(newUser(2));
    pbx.faults.expireTokens();
    const before = client.requestCount();
    await client.createUser(newUser(3));
    expect(client.requestCount() - before).toBeGreaterThanOrEqual(3); // 401, refresh, replay
    expect(pbx.findByExtension('1003')).toBeDefined();
  });

  it('maps a taken extension number to CONFLICT and a validation failure to INVALID', async () => {
    const client = await setup();
    pbx.addNumberHolder('1004', 'CONFERENCE_ROOM');
    await expect(client.createUser(newUser(4))).rejects.toSatisfy((e) => codeOf(e) === 'CONFLICT');
    await expect(client.createUser({ ...newUser(5), email: 'not-an-address' })).rejects.toSatisfy((e) => codeOf(e) === 'INVALID');
  });

  it('retries 429 and 503 and gives a clear UNAUTHORIZED for bad credentials', async () => {
    const client = await setup();
    pbx.faults.throttleNext(2, 1);
    pbx.faults.failNext(1, 503);
    await client.createUser(newUser(6));
    expect(pbx.findByExtension('1006')).toBeDefined();
    const wrong = new PortSipClient({ baseUrl: pbx.baseUrl, domain: pbx.credentials.domain, username: 'syncadmin', password: 'wrong', role: 'StandardUser', rateLimitPerMinute: 6000, maxConcurrency: 2 });
    await expect(wrong.getUser('x')).rejects.toSatisfy((e) => codeOf(e) === 'UNAUTHORIZED' && !String((e as Error).message).includes('wrong'));
  });

  it('paces itself to the PBX limit: a burst at 600 requests/minute sees no 429', async () => {
    const client = await setup({ rateLimitPerMinute: 600 }, 600);
    await Promise.all(Array.from({ length: 30 }, (_, i) => client.findNumberOwner(String(5000 + i))));
    expect(pbx.stats.throttled).toBe(0);
  });
});
