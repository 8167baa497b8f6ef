import { describe, expect, it } from 'vitest';
import { refusal } from '../../../support/refusal';
import { newAdaLovelace } from '../../../support/threeCxPeople';
import { connectionOver } from './connectionOver';
import { CLIENT_SECRET, fakeXapi, rawUser } from './fakeXapi';

const json = (body?: string) => (body ? (JSON.parse(body) as Record<string, unknown>) : undefined);
const isUsersRead = (r: { method: string; url: string }) => r.method === 'GET' && /^\/xapi\/v1\/Users(\(|\?|$)/.test(r.url);

describe('ThreeCxUsers', () => {
  it('lists users with $select, in pages, as PbxUsers without any secret', async () => {
    const fake = fakeXapi();
    fake.on('GET', /^\/xapi\/v1\/Users$/, (request) => {
      const skip = Number(new URLSearchParams(request.url.split('?')[1]).get('$skip'));
      // A PBX that ignores $select: the secrets must still go no further than the schema.
      return {
        status: 200,
        body: { value: skip === 0 ? Array.from({ length: 100 }, (_, i) => rawUser(i + 1, String(100 + i))) : [rawUser(101, '200')] },
      };
    });
    const users = [];
    for await (const page of connectionOver(fake).users.listUsers()) users.push(...page);
    expect(users).toHaveLength(101);
    expect(users[0]).toEqual({
      id: '1',
      userName: '100',
      extensionNumber: '100',
      displayName: 'Ada Lovelace',
      givenName: 'Ada',
      surname: 'Lovelace',
      email: 'ada100@contoso.com',
      mobilePhone: '+14255550100',
      workPhone: '',
      department: '',
      enabled: true,
    });
    expect(JSON.stringify(users)).not.toMatch(/SIP-AUTH-PASSWORD|9876/);
    const reads = fake.requests.filter(isUsersRead);
    expect(reads.length).toBe(2);
    for (const read of reads) {
      expect(read.url).toContain('$select=Id,Number,FirstName,LastName,DisplayName,EmailAddress,Mobile,OutboundCallerID,Enabled');
    }
  });

  it('an answer it cannot read is INTERNAL, without the SIP secrets it carried', async () => {
    const fake = fakeXapi();
    fake.on('GET', /^\/xapi\/v1\/Users$/, () => ({ status: 200, body: { value: [rawUser(1, '100', { Number: 100 })] } }));
    const err = await refusal(
      (async () => {
        for await (const page of connectionOver(fake).users.listUsers()) void page;
      })(),
      'INTERNAL',
    );
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toMatch(/SIP-AUTH-PASSWORD|9876/);
    expect(err.message).toContain('GET /xapi/v1/Users');
  });

  it('reads one user by id with $select; 404 → null', async () => {
    const fake = fakeXapi();
    fake.on('GET', /^\/xapi\/v1\/Users\(7\)$/, () => ({ status: 200, body: rawUser(7, '107', { DisplayName: null }) }));
    fake.on('GET', /^\/xapi\/v1\/Users\(8\)$/, () => ({
      status: 404,
      body: { error: { code: 'WARNINGS.XAPI.NOT_FOUND', message: 'Id' } },
    }));
    const { users } = connectionOver(fake);
    expect(await users.getUser('7')).toMatchObject({ id: '7', extensionNumber: '107', displayName: 'Ada Lovelace' });
    expect(await users.getUser('8')).toBeNull();
    expect(await users.getUser('not-a-number')).toBeNull();
    expect(fake.requests.filter(isUsersRead).every((r) => r.url.includes('$select='))).toBe(true);
  });

  it('creates with the 3CX fields and returns the new Id; a taken number is CONFLICT naming Number', async () => {
    const fake = fakeXapi();
    fake.once('POST', /^\/xapi\/v1\/Users$/, () => ({ status: 201, body: rawUser(42, '101') }));
    fake.once('POST', /^\/xapi\/v1\/Users$/, () => ({
      status: 400,
      body: {
        error: {
          code: '',
          message: 'Number:\nWARNINGS.XAPI.ALREADY_IN_USE',
          details: [{ code: 'WARNINGS.XAPI.ALREADY_IN_USE', message: 'x', target: 'Number' }],
        },
      },
    }));
    const { users } = connectionOver(fake);
    const user = newAdaLovelace('101', { userName: 'ada', outboundCallerId: { providerId: '10000', callerId: '+14255550100' } });
    expect(await users.createUser(user)).toEqual({ id: '42' });
    const post = fake.requests.find((r) => r.method === 'POST' && r.url === '/xapi/v1/Users')!;
    expect(json(post.body)).toEqual({
      Number: '101',
      FirstName: 'Ada',
      LastName: 'Lovelace',
      DisplayName: 'Ada Lovelace',
      EmailAddress: 'ada@contoso.com',
      Mobile: '+14255550100',
      OutboundCallerID: '+14255550100',
      Enabled: true,
    });
    const conflict = await refusal(users.createUser(user), 'CONFLICT');
    expect(conflict.details).toEqual({ target: 'Number' });
    expect(conflict.message).not.toContain(CLIENT_SECRET);
  });

  it('puts the display name in FirstName when the user has no split names', async () => {
    const fake = fakeXapi();
    fake.on('POST', /^\/xapi\/v1\/Users$/, () => ({ status: 201, body: { Id: 5 } }));
    const { users } = connectionOver(fake);
    await users.createUser({
      userName: 'x',
      extensionNumber: '102',
      displayName: 'Reception',
      email: '',
      mobilePhone: '',
      workPhone: '',
      department: '',
      enabled: true,
    });
    const post = fake.requests.find((r) => r.method === 'POST' && r.url === '/xapi/v1/Users')!;
    expect(json(post.body)).toMatchObject({ FirstName: 'Reception', LastName: '', DisplayName: 'Reception', OutboundCallerID: '' });
  });

  it("refuses a number that is not the PBX's length with INVALID naming it, before sending", async () => {
    const fake = fakeXapi({ enl: 4 });
    const err = await refusal(
      connectionOver(fake).users.createUser({
        userName: 'x',
        extensionNumber: '101',
        displayName: 'X',
        email: '',
        mobilePhone: '',
        workPhone: '',
        department: '',
        enabled: true,
      }),
      'INVALID',
    );
    expect(err.message).toContain('4-digit extension numbers');
    expect(fake.requests.some((r) => r.method === 'POST' && r.url.startsWith('/xapi/v1/Users'))).toBe(false);
  });

  it('patches only the given fields, never Number, and drops fields 3CX does not have', async () => {
    const fake = fakeXapi();
    fake.on('PATCH', /^\/xapi\/v1\/Users\(9\)$/, () => ({ status: 204 }));
    const { users } = connectionOver(fake);
    await users.updateUser('9', { email: 'new@contoso.com', enabled: false, workPhone: '+1', department: 'Ops', outboundCallerId: null });
    await users.updateUser('9', { workPhone: '+2' });
    const patches = fake.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(json(patches[0]!.body)).toEqual({ EmailAddress: 'new@contoso.com', Enabled: false, OutboundCallerID: '' });
  });

  it('moves FirstName with a display name the user is known by', async () => {
    const fake = fakeXapi();
    fake.on('GET', /^\/xapi\/v1\/Users\(9\)$/, () => ({
      status: 200,
      body: rawUser(9, '109', { FirstName: 'Reception', LastName: '', DisplayName: 'Reception' }),
    }));
    fake.on('PATCH', /^\/xapi\/v1\/Users\(9\)$/, () => ({ status: 204 }));
    await connectionOver(fake).users.updateUser('9', { displayName: 'Front desk' });
    const patch = fake.requests.find((r) => r.method === 'PATCH')!;
    expect(json(patch.body)).toEqual({ DisplayName: 'Front desk', FirstName: 'Front desk' });
  });

  it('deletes (404 counts as done) and binding Microsoft 365 sends nothing', async () => {
    const fake = fakeXapi();
    fake.once('DELETE', /^\/xapi\/v1\/Users\(9\)$/, () => ({ status: 204 }));
    fake.once('DELETE', /^\/xapi\/v1\/Users\(9\)$/, () => ({ status: 404 }));
    const { users } = connectionOver(fake);
    await users.deleteUser('9');
    await users.deleteUser('9');
    const before = users.requestCount();
    await users.bindMicrosoft365('9', '2b5c0c3e-0000-4000-8000-000000000000');
    expect(users.requestCount()).toBe(before);
  });

  it("finds a number's owner with an escaped key: a ring group, a user (by its user Id), or nobody", async () => {
    const fake = fakeXapi();
    fake.on('GET', /^\/xapi\/v1\/Peers\(Number=.*\)$/, () => ({ status: 404 }));
    fake.on('GET', /^\/xapi\/v1\/Peers\(Number='800'\)$/, () => ({
      status: 200,
      body: { Id: 55, Number: '800', Name: 'Sales', Type: 'RingGroup' },
    }));
    fake.on('GET', /^\/xapi\/v1\/Peers\(Number='101'\)$/, () => ({
      status: 200,
      body: { Id: 3, Number: '101', Name: 'Ada', Type: 'Extension' },
    }));
    fake.on('GET', /^\/xapi\/v1\/Users\(Number='101'\)$/, () => ({ status: 200, body: rawUser(42, '101') }));
    const { users } = connectionOver(fake);
    expect(await users.findNumberOwner('800')).toEqual({ id: '55', extensionNumber: '800', name: 'Sales', type: 'RING_GROUP' });
    expect(await users.findNumberOwner('101')).toEqual({ id: '42', extensionNumber: '101', name: 'Ada Lovelace', type: 'EXTENSION' });
    expect(await users.findNumberOwner("1'2")).toBeNull();
    expect(fake.requests.map((r) => r.url)).toContain("/xapi/v1/Peers(Number='1''2')?$select=Id,Number,Name,Type");
  });

  it('lists the numbers held by anything but a user', async () => {
    const fake = fakeXapi();
    fake.on('GET', /^\/xapi\/v1\/Peers$/, () => ({
      status: 200,
      body: {
        value: [
          { Number: '100', Type: 'Extension' },
          { Number: '800', Type: 'RingGroup' },
          { Number: '801', Type: 'Queue' },
          { Number: '802', Type: 'IVR' },
          { Number: '803', Type: 'Fax' },
          { Number: null, Type: 'Group' },
        ],
      },
    }));
    expect((await connectionOver(fake).users.listNonUserNumbers()).sort()).toEqual(['800', '801', '802', '803']);
    expect(fake.requests.find((r) => r.url.startsWith('/xapi/v1/Peers'))!.url).toBe('/xapi/v1/Peers?$select=Number,Type&$top=100&$skip=0');
  });
});
