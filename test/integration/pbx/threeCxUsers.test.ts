import { describe, expect, it } from 'vitest';
import { type PbxUser } from '../../../shared/pbx/ports/PbxUser';
import { refusal } from '../../support/refusal';
import { useThreeCxSandbox } from '../../support/threeCxSandboxConnection';
import { newAdaLovelace as newUser } from '../../support/threeCxPeople';

const start = useThreeCxSandbox();

async function everyUser(users: { listUsers(): AsyncIterable<PbxUser[]> }): Promise<PbxUser[]> {
  const all: PbxUser[] = [];
  for await (const page of users.listUsers()) all.push(...page);
  return all;
}

describe('ThreeCxUsers over the 3CX sandbox', () => {
  it('lists the messy seed: every user, odd names intact, no secret', async () => {
    const { connection } = await start();
    const users = await everyUser(connection.users);
    expect(users.map((u) => u.extensionNumber).sort()).toEqual([
      '012',
      '100',
      '101',
      '102',
      '103',
      '104',
      '105',
      '106',
      '107',
      '108',
      '109',
      '110',
    ]);
    const byNumber = new Map(users.map((u) => [u.extensionNumber, u]));
    expect(byNumber.get('101')).toMatchObject({ userName: '101', displayName: 'Nakamura', email: 'nakamura@contoso.com' });
    expect(byNumber.get('103')!.displayName).toContain('Zoë 🎧');
    expect(byNumber.get('107')!.enabled).toBe(false);
    expect(byNumber.get('108')!.mobilePhone).toBe('');
    expect(byNumber.get('110')!.email).toBe("sean.o'brien@contoso.com");
    expect(JSON.stringify(users)).not.toMatch(/AuthPassword|VMPIN|DeskphonePassword|Provision/i);
  });

  it('creates, updates, disables and deletes a user (ENL 4), and the PBX shows each step', async () => {
    const { pbx, connection } = await start({ extensionLength: 4, seed: 'empty' });
    const { users } = connection;
    const { id } = await users.createUser(newUser('2001', { outboundCallerId: { providerId: '10000', callerId: '+14255550100' } }));
    expect(pbx.userByNumber('2001')).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@contoso.com',
      mobile: '+14255550100',
      outboundCallerId: '+14255550100',
      enabled: true,
    });
    expect(await users.getUser(id)).toMatchObject({
      id,
      extensionNumber: '2001',
      userName: '2001',
      displayName: 'Ada Lovelace',
      workPhone: '',
      department: '',
    });
    expect(connection.profile.extensionNumbers).toMatchObject({ minLength: 4, maxLength: 4 });

    await users.updateUser(id, { email: 'ada.l@contoso.com', surname: 'King', mobilePhone: '' });
    expect(pbx.userByNumber('2001')).toMatchObject({ email: 'ada.l@contoso.com', lastName: 'King', firstName: 'Ada', mobile: '' });
    await users.updateUser(id, { enabled: false, outboundCallerId: null });
    expect(pbx.userByNumber('2001')).toMatchObject({ enabled: false, outboundCallerId: '' });
    expect((await users.getUser(id))!.enabled).toBe(false);

    await users.deleteUser(id);
    expect(pbx.userByNumber('2001')).toBeUndefined();
    expect(await users.getUser(id)).toBeNull();
    await users.deleteUser(id);
    await refusal(users.createUser(newUser('201')), 'INVALID');
  });

  it('says who holds a number: a ring group, an IVR, a queue, a user (by its user id), or nobody', async () => {
    const { pbx, connection } = await start();
    pbx.addNonUserDn('850', 'Queue', "Support's queue");
    const { users } = connection;
    expect(await users.findNumberOwner('800')).toMatchObject({ extensionNumber: '800', name: 'Sales Ring Group', type: 'RING_GROUP' });
    expect(await users.findNumberOwner('801')).toMatchObject({ type: 'VIRTUAL_RECEPTIONIST' });
    expect(await users.findNumberOwner('850')).toMatchObject({ type: 'CALL_QUEUE', name: "Support's queue" });
    const ada = (await everyUser(users)).find((u) => u.extensionNumber === '100')!;
    expect(await users.findNumberOwner('100')).toMatchObject({ id: ada.id, type: 'EXTENSION' });
    expect(await users.getUser((await users.findNumberOwner('100'))!.id)).toMatchObject({ extensionNumber: '100' });
    expect(await users.findNumberOwner('555')).toBeNull();
    expect(await users.findNumberOwner("1'0")).toBeNull();
    const nonUser = await users.listNonUserNumbers();
    expect(nonUser).toEqual(expect.arrayContaining(['800', '801', '850']));
    expect(nonUser).not.toContain('100');
  });

  it('refuses a used number with CONFLICT naming Number, whether a user or a ring group holds it', async () => {
    const { pbx, connection } = await start();
    const before = pbx.users().length;
    const taken = await refusal(connection.users.createUser(newUser('100')), 'CONFLICT');
    expect(taken.details).toEqual({ target: 'Number' });
    await refusal(connection.users.createUser(newUser('800')), 'CONFLICT');
    expect(pbx.users()).toHaveLength(before);
  });

  it('refuses an old 3CX, a licence without Enterprise, and a PBX whose own Microsoft 365 sync is on', async () => {
    const { pbx, connect } = await start();
    pbx.setVersion('20.0.8.1020');
    expect((await refusal(connect().users.getUser('1'), 'NOT_READY')).message).toContain('upgrade 3CX to 20.0.9 or later');
    pbx.setVersion('20.0.10.818');
    pbx.setEnterprise(false);
    expect((await refusal(connect().ready(), 'NOT_READY')).message).toContain('Enterprise licence');
    pbx.setEnterprise(true);
    pbx.setNativeM365Sync(true);
    expect((await refusal(connect().ready(), 'NOT_READY')).message).toContain('Microsoft 365 user sync is on');
    pbx.setNativeM365Sync(false);
    expect(await connect().ready()).toMatchObject({ version: '20.0.10.818', extensionLength: 3 });
  });

  it('rides out a 429 and a 503, shares one token between concurrent calls, and recovers from a revoked token', async () => {
    const { pbx, connection, connect } = await start();
    await connection.ready();
    pbx.stats.reset();
    pbx.faults.throttleNext(1, 0);
    pbx.faults.failNext(1, 503);
    const ids = (await everyUser(connection.users)).map((u) => u.id);
    expect(ids).toHaveLength(12);
    expect(pbx.stats.byRoute['GET /Users']).toBe(3);

    // A fresh connection: ten concurrent first calls share one token (and one probe).
    const fresh = connect();
    pbx.stats.reset();
    await Promise.all(ids.slice(0, 10).map((id) => fresh.users.getUser(id)));
    expect(pbx.stats.tokensIssued).toBe(1);
    expect(pbx.stats.byRoute['GET /SystemStatus']).toBe(1);

    // That fresh connection took the one active token: ours gets a 401, fetches a new one, replays.
    pbx.stats.reset();
    expect(await connection.users.getUser(ids[0]!)).not.toBeNull();
    expect(pbx.stats.tokensIssued).toBe(1);
    expect(pbx.stats.byRoute['GET /Users({key})']).toBe(2);
  });
});
