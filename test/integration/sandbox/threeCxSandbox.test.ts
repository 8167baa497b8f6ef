import { afterEach, describe, expect, it } from 'vitest';
import { ThreeCxSandbox, type ThreeCxSandboxOptions } from '../../../sandbox/threecx';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

let pbx: ThreeCxSandbox | undefined;
afterEach(async () => {
  await pbx?.stop();
  pbx = undefined;
});

async function start(options: ThreeCxSandboxOptions = {}): Promise<ThreeCxSandbox> {
  pbx = await ThreeCxSandbox.start(options);
  return pbx;
}

async function tokenRequest(form: Record<string, string>): Promise<Reply> {
  const res = await fetch(`${pbx!.baseUrl}/connect/token`, { method: 'POST', body: new URLSearchParams(form) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

async function token(): Promise<string> {
  const reply = await tokenRequest({
    client_id: pbx!.credentials.clientId,
    client_secret: pbx!.credentials.clientSecret,
    grant_type: 'client_credentials',
  });
  expect(reply.status).toBe(200);
  return reply.body.access_token as string;
}

async function xapi(
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; rawBody?: string } = {},
): Promise<Reply> {
  const bearer = options.token === undefined ? await token() : options.token;
  const headers: Record<string, string> = {};
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${pbx!.baseUrl}/xapi/v1${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

const IN_USE = {
  error: {
    code: '',
    message: 'Number:\nWARNINGS.XAPI.ALREADY_IN_USE',
    details: [{ code: '', message: 'WARNINGS.XAPI.ALREADY_IN_USE', target: 'Number' }],
  },
};
const SELECT = '$select=Id,Number,FirstName,LastName,EmailAddress,Mobile,Enabled';

describe('3CX sandbox: tokens', () => {
  it('issues a Bearer JWT whose exp matches expires_in in seconds, with no refresh token', async () => {
    await start({ now: () => 1_800_000_000_000 });
    const reply = await tokenRequest({ client_id: '900', client_secret: pbx!.credentials.clientSecret, grant_type: 'client_credentials' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, refresh_token: null });
    const payload = JSON.parse(Buffer.from((reply.body.access_token as string).split('.')[1]!, 'base64url').toString('utf8'));
    expect(payload.exp).toBe(1_800_000_000 + 3600);
    expect(pbx!.stats.tokensIssued).toBe(1);
  });

  it('reports expires_in in minutes for pre-20.0.9 servers', async () => {
    await start({ expiresInUnit: 'minutes' });
    const reply = await tokenRequest({ client_id: '900', client_secret: pbx!.credentials.clientSecret, grant_type: 'client_credentials' });
    expect(reply.body.expires_in).toBe(60);
  });

  it('accepts a multipart form', async () => {
    await start();
    const form = new FormData();
    form.set('client_id', '900');
    form.set('client_secret', pbx!.credentials.clientSecret);
    form.set('grant_type', 'client_credentials');
    const res = await fetch(`${pbx!.baseUrl}/connect/token`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
  });

  it('refuses a bad secret with invalid_client', async () => {
    await start();
    const reply = await tokenRequest({ client_id: '900', client_secret: 'wrong', grant_type: 'client_credentials' });
    expect(reply.status).toBe(401);
    expect(reply.body.error).toBe('invalid_client');
    expect(typeof reply.body.error_description).toBe('string');
  });

  it('revokes the previous token when a new one is issued: 401 with an empty body', async () => {
    await start();
    const first = await token();
    expect((await xapi('GET', '/Users?$top=1&$select=Id', { token: first })).status).toBe(200);
    const second = await token();
    const old = await xapi('GET', '/Users?$top=1&$select=Id', { token: first });
    expect(old.status).toBe(401);
    expect(old.text).toBe('');
    expect((await xapi('GET', '/Users?$top=1&$select=Id', { token: second })).status).toBe(200);
  });

  it('keeps older tokens when singleActiveToken is off, and expires tokens by the clock', async () => {
    let now = 1_800_000_000_000;
    await start({ singleActiveToken: false, tokenLifetimeSeconds: 60, now: () => now });
    const first = await token();
    await token();
    expect((await xapi('GET', '/Groups', { token: first })).status).toBe(200);
    now += 61_000;
    const expired = await xapi('GET', '/Groups', { token: first });
    expect(expired.status).toBe(401);
    expect(expired.text).toBe('');
  });

  it('answers 401 with an empty body without a token', async () => {
    await start();
    const reply = await xapi('GET', '/Users', { token: null });
    expect(reply).toMatchObject({ status: 401, text: '' });
  });
});

describe('3CX sandbox: OData on Users', () => {
  it('refuses $top over 100 with the exact text', async () => {
    await start();
    const reply = await xapi('GET', '/Users?$top=101');
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toBe("The limit of '100' for Top query has been exceeded. Please adjust the query and try again.");
    expect((await xapi('GET', '/Contacts?$top=101')).status).toBe(400);
    expect((await xapi('GET', '/Peers?$top=101')).status).toBe(400);
    expect((await xapi('GET', '/Users?$top=100&$select=Id')).status).toBe(200);
  });

  it('pages with $skip and $top, counting with $count', async () => {
    await start();
    const t = await token();
    const first = await xapi('GET', '/Users?$top=5&$count=true&$select=Id,Number&$orderby=Id', { token: t });
    expect(first.body['@odata.count']).toBe(12);
    expect(first.body['@odata.context']).toBe(`${pbx!.baseUrl}/xapi/v1/$metadata#Users(Id,Number)`);
    expect(first.body.value).toHaveLength(5);
    const last = await xapi('GET', '/Users?$top=5&$skip=10&$select=Id,Number', { token: t });
    expect(last.body.value.map((u: { Number: string }) => u.Number)).toEqual(['109', '110']);
    expect(last.body['@odata.count']).toBeUndefined();
    const all = [
      ...first.body.value,
      ...(await xapi('GET', '/Users?$top=5&$skip=5&$select=Id,Number', { token: t })).body.value,
      ...last.body.value,
    ];
    expect(all.map((u: { Number: string }) => u.Number)).toEqual(pbx!.users().map((u) => u.number));
  });

  it('orders by Number', async () => {
    await start();
    const reply = await xapi('GET', '/Users?$select=Number&$orderby=Number desc&$top=2');
    expect(reply.body.value).toEqual([{ Number: '110' }, { Number: '109' }]);
  });

  it('returns credentials without $select and hides them with it', async () => {
    await start();
    const t = await token();
    const bare = (await xapi('GET', '/Users(Number=%27100%27)', { token: t })).body;
    for (const field of ['AuthPassword', 'VMPIN', 'DeskphonePassword', 'ProvLink']) expect(typeof bare[field]).toBe('string');
    expect(bare.VMPIN).toMatch(/^\d{4}$/);
    const selected = (await xapi('GET', `/Users(Number='100')?${SELECT}`, { token: t })).body;
    expect(Object.keys(selected).sort()).toEqual([
      '@odata.context',
      'EmailAddress',
      'Enabled',
      'FirstName',
      'Id',
      'LastName',
      'Mobile',
      'Number',
    ]);
    const list = (await xapi('GET', `/Users?${SELECT}`, { token: t })).body.value;
    expect(list.some((u: Record<string, unknown>) => 'AuthPassword' in u)).toBe(false);
  });

  it('refuses an unknown $select property', async () => {
    await start();
    const reply = await xapi('GET', '/Users?$select=Id,Nope');
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toBe("Could not find a property named 'Nope' on type 'Pbx.User'.");
  });

  it('reads by Id and by Number, decoding doubled quotes; unknown keys are 404', async () => {
    await start();
    const t = await token();
    const ada = pbx!.userByNumber('100')!;
    expect((await xapi('GET', `/Users(${ada.id})?$select=Number,FirstName`, { token: t })).body).toMatchObject({
      Number: '100',
      FirstName: 'Ada',
    });
    expect((await xapi('GET', `/Users(Number='012')?$select=LastName`, { token: t })).body.LastName).toBe('Zero');
    const quoted = await xapi('GET', `/Users(Number='10''0')`, { token: t });
    expect(quoted.status).toBe(404);
    expect(quoted.body.error.message).toBe('User:\nWARNINGS.XAPI.NOT_FOUND');
    expect((await xapi('GET', `/Users(Number='10'0')`, { token: t })).status).toBe(400);
    pbx!.addNonUserDn("8'1", 'Parking', 'Odd parking');
    expect((await xapi('GET', `/Peers(Number='8''1')?$select=Name`, { token: t })).body.Name).toBe('Odd parking');
    expect((await xapi('GET', '/Users(99999)', { token: t })).status).toBe(404);
  });

  it('filters by eq, tolower, contains, and/or, and refuses anything else naming it', async () => {
    await start();
    const t = await token();
    const numbers = async (filter: string): Promise<string[]> => {
      const reply = await xapi('GET', `/Users?$select=Number&$filter=${encodeURIComponent(filter)}`, { token: t });
      return (reply.body.value as Array<{ Number: string }>).map((u) => u.Number);
    };
    expect(await numbers("Number eq '101'")).toEqual(['101']);
    expect(await numbers("EmailAddress eq 'grace.hopper@contoso.com'")).toEqual([]);
    expect(await numbers("tolower(EmailAddress) eq 'grace.hopper@contoso.com'")).toEqual(['104']);
    expect(await numbers("EmailAddress eq 'reception@contoso.com'")).toEqual(['105', '106']);
    expect(await numbers("contains(LastName,'Brien')")).toEqual(['110']);
    expect(await numbers("EmailAddress eq 'sean.o''brien@contoso.com'")).toEqual(['110']);
    expect(await numbers("Number eq '101' or Number eq '102'")).toEqual(['101', '102']);
    expect(await numbers("EmailAddress eq 'reception@contoso.com' and FirstName eq 'Front'")).toEqual(['106']);
    expect(await numbers('Enabled eq false')).toEqual(['107']);
    const refused = await xapi('GET', `/Users?$filter=${encodeURIComponent("startswith(LastName,'O')")}`, { token: t });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("'startswith'");
    const badOperator = await xapi('GET', `/Users?$filter=${encodeURIComponent("Number ne '101'")}`, { token: t });
    expect(badOperator.status).toBe(400);
    expect(badOperator.body.error.message).toContain("'ne'");
  });

  it('expands Groups with Rights', async () => {
    await start();
    const reply = await xapi('GET', `/Users(Number='100')?$select=Id&$expand=Groups($expand=Rights)`);
    expect(reply.body.Groups).toEqual([{ GroupId: 1, Name: 'DEFAULT', Number: 'GRP0000', Rights: { RoleName: 'users' } }]);
  });
});

describe('3CX sandbox: messy seed', () => {
  it('holds the oddities an adapter must survive', async () => {
    await start();
    const users = pbx!.users();
    expect(users).toHaveLength(12);
    expect(pbx!.userByNumber('101')).toMatchObject({ firstName: '', displayName: 'Nakamura' });
    expect(pbx!.userByNumber('103')!.firstName).toBe('Zoë 🎧');
    expect(pbx!.userByNumber('104')!.email).toBe('GRACE.HOPPER@CONTOSO.COM');
    expect(users.filter((u) => u.email === 'reception@contoso.com').map((u) => u.number)).toEqual(['105', '106']);
    expect(users.filter((u) => !u.enabled).map((u) => u.number)).toEqual(['107']);
    expect(pbx!.userByNumber('012')!.lastName).toBe('Zero');
    expect(pbx!.userByNumber('108')!.mobile).toBeNull();
    expect(pbx!.userByNumber('109')!.displayName.length).toBeGreaterThan(100);
    const mobile = await xapi('GET', `/Users(Number='108')?$select=Mobile`);
    expect(mobile.body.Mobile).toBeNull();
    expect(
      (await xapi('GET', `/Peers?$select=Number,Type&$filter=${encodeURIComponent("Type eq 'RingGroup' or Type eq 'IVR'")}`)).body.value,
    ).toEqual([
      { Number: '800', Type: 'RingGroup' },
      { Number: '801', Type: 'IVR' },
    ]);
  });

  it('starts empty but for the DEFAULT department and the API client DN', async () => {
    await start({ seed: 'empty' });
    expect(pbx!.users()).toEqual([]);
    expect(pbx!.contacts()).toEqual([]);
    const peers = await xapi('GET', '/Peers?$select=Number');
    expect(peers.body.value).toEqual([{ Number: '900' }]);
  });
});

describe('3CX sandbox: user writes', () => {
  it('creates a user from {} with the first free number in the default department', async () => {
    await start();
    const t = await token();
    const free = await xapi('GET', '/Users/Pbx.GetFirstAvailableExtensionNumber()', { token: t });
    expect(free.body.Number).toBe('111');
    const created = await xapi('POST', '/Users', { token: t, body: {} });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ Number: '111', PrimaryGroupId: 1, Enabled: true });
    expect(typeof created.body.Id).toBe('number');
    expect(pbx!.userByNumber('111')).toMatchObject({ id: created.body.Id, primaryGroupId: 1 });
  });

  it('creates a user with a given number and fields; duplicate e-mails are allowed', async () => {
    await start();
    const created = await xapi('POST', '/Users', {
      body: {
        Number: '555',
        FirstName: 'New',
        LastName: 'Person',
        EmailAddress: 'reception@contoso.com',
        Mobile: '+15550000555',
        OutboundCallerID: '+15550000000',
      },
    });
    expect(created.status).toBe(201);
    expect(pbx!.userByNumber('555')).toEqual({
      id: created.body.Id,
      number: '555',
      firstName: 'New',
      lastName: 'Person',
      displayName: 'New Person',
      email: 'reception@contoso.com',
      mobile: '+15550000555',
      outboundCallerId: '+15550000000',
      enabled: true,
      tags: [],
      primaryGroupId: 1,
    });
    expect(pbx!.stats.writes).toBe(1);
  });

  it('refuses a number held by a user, a ring group or the API client with the exact envelope', async () => {
    await start();
    const t = await token();
    for (const number of ['100', '800', '900']) {
      const reply = await xapi('POST', '/Users', { token: t, body: { Number: number } });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual(IN_USE);
    }
    pbx!.addNonUserDn('700', 'Queue', 'Support queue');
    expect((await xapi('POST', '/Users', { token: t, body: { Number: '700' } })).body).toEqual(IN_USE);
    expect(pbx!.users()).toHaveLength(12);
  });

  it('refuses a number of the wrong length or with non-digits', async () => {
    await start({ extensionLength: 4 });
    const t = await token();
    for (const number of ['555', '55555', '55a5']) {
      const reply = await xapi('POST', '/Users', { token: t, body: { Number: number } });
      expect(reply.status).toBe(400);
      expect(reply.body.error.details[0].target).toBe('Number');
    }
    expect((await xapi('POST', '/Users', { token: t, body: { Number: '5555' } })).status).toBe(201);
  });

  it('refuses unknown properties, wrong types and broken JSON with 400', async () => {
    await start();
    const t = await token();
    expect((await xapi('POST', '/Users', { token: t, body: { Nickname: 'x' } })).body.error.message).toContain("'Nickname'");
    const wrongType = await xapi('POST', '/Users', { token: t, body: { Enabled: 'yes' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.details[0].target).toBe('Enabled');
    expect((await xapi('POST', '/Users', { token: t, rawBody: '{"FirstName":' })).status).toBe(400);
    expect(pbx!.users()).toHaveLength(12);
  });

  it('PATCH merges scalars, replaces Groups, and refuses a Number change', async () => {
    await start();
    const t = await token();
    const grace = pbx!.userByNumber('104')!;
    const patched = await xapi('PATCH', `/Users(${grace.id})`, { token: t, body: { LastName: 'Hopper-Murray', Enabled: false } });
    expect(patched).toMatchObject({ status: 204, text: '' });
    expect(pbx!.userByNumber('104')).toEqual({ ...grace, lastName: 'Hopper-Murray', displayName: 'Grace Hopper-Murray', enabled: false });
    expect((await xapi('PATCH', `/Users(${grace.id})`, { token: t, body: { Groups: [] } })).status).toBe(204);
    expect((await xapi('GET', `/Users(${grace.id})?$select=Id&$expand=Groups`, { token: t })).body.Groups).toEqual([]);
    const renumber = await xapi('PATCH', `/Users(${grace.id})`, { token: t, body: { Number: '199', FirstName: 'Changed' } });
    expect(renumber.status).toBe(400);
    expect(renumber.body.error.details[0].target).toBe('Number');
    expect(pbx!.userByNumber('104')!.firstName).toBe('Grace');
    expect((await xapi('PATCH', `/Users(${grace.id})`, { token: t, body: { Number: '104' } })).status).toBe(204);
  });

  it('deletes a user, then answers 404', async () => {
    await start();
    const t = await token();
    const id = pbx!.userByNumber('101')!.id;
    expect((await xapi('DELETE', `/Users(${id})`, { token: t })).status).toBe(204);
    expect((await xapi('DELETE', `/Users(${id})`, { token: t })).status).toBe(404);
    expect((await xapi('GET', `/Users(${id})`, { token: t })).status).toBe(404);
    expect(pbx!.userByNumber('101')).toBeUndefined();
  });

  it('BatchDelete reports per-item errors', async () => {
    await start();
    const a = pbx!.userByNumber('105')!.id;
    const b = pbx!.userByNumber('106')!.id;
    const reply = await xapi('POST', '/Users/Pbx.BatchDelete', { body: { Ids: [a, 424242, b] } });
    expect(reply.status).toBe(200);
    expect(reply.body.value).toEqual([
      { Id: a, Number: '105', ExtensionNumber: '105', Error: null },
      { Id: 424242, Number: null, ExtensionNumber: null, Error: 'WARNINGS.XAPI.NOT_FOUND' },
      { Id: b, Number: '106', ExtensionNumber: '106', Error: null },
    ]);
    expect(pbx!.users()).toHaveLength(10);
    expect((await xapi('POST', '/Users/Pbx.BatchDelete', { body: { nope: [] } })).status).toBe(400);
  });
});

describe('3CX sandbox: peers, groups, contacts', () => {
  it('finds any DN through Peers and answers 404 for a free number', async () => {
    await start();
    const t = await token();
    expect((await xapi('GET', `/Peers(Number='800')?$select=Number,Name,Type`, { token: t })).body).toMatchObject({
      Number: '800',
      Name: 'Sales Ring Group',
      Type: 'RingGroup',
    });
    expect((await xapi('GET', `/Peers(Number='801')`, { token: t })).body.Type).toBe('IVR');
    expect((await xapi('GET', `/Peers(Number='100')`, { token: t })).body).toMatchObject({
      Number: '100',
      Type: 'Extension',
      Name: 'Ada Lovelace',
    });
    expect((await xapi('GET', `/Peers(Number='555')`, { token: t })).status).toBe(404);
    const listed = await xapi('GET', `/Peers?$filter=${encodeURIComponent("Number eq '801'")}&$select=Id,Number,Type`, { token: t });
    expect(listed.body.value).toEqual([{ Id: expect.any(Number), Number: '801', Type: 'IVR' }]);
  });

  it('lists the DEFAULT department', async () => {
    await start({ seed: 'empty' });
    const reply = await xapi('GET', `/Groups?$filter=${encodeURIComponent('IsDefault eq true')}&$select=Id,Name,IsDefault`);
    expect(reply.body.value).toEqual([{ Id: 1, Name: 'DEFAULT', IsDefault: true }]);
  });

  it('creates, pages, updates and deletes company contacts', async () => {
    await start({ seed: 'empty' });
    const t = await token();
    const ids: number[] = [];
    for (let i = 0; i < 105; i += 1) {
      const created = await xapi('POST', '/Contacts', {
        token: t,
        body: { FirstName: `F${i}`, LastName: `L${i}`, PhoneNumber: `+1555${i}`, Tag: 'm365' },
      });
      expect(created.status).toBe(201);
      ids.push(created.body.Id as number);
    }
    const page1 = await xapi('GET', '/Contacts?$top=100&$count=true', { token: t });
    expect(page1.body['@odata.count']).toBe(105);
    expect(page1.body.value).toHaveLength(100);
    const page2 = await xapi('GET', '/Contacts?$top=100&$skip=100', { token: t });
    expect(page2.body.value.map((c: { LastName: string }) => c.LastName)).toEqual(['L100', 'L101', 'L102', 'L103', 'L104']);
    expect((await xapi('PATCH', `/Contacts(${ids[0]})`, { token: t, body: { Title: 'CFO' } })).status).toBe(204);
    expect(pbx!.contacts()[0]).toMatchObject({ FirstName: 'F0', Title: 'CFO', PhoneNumber: '+15550', Tag: 'm365', ContactType: '3CX' });
    expect((await xapi('DELETE', `/Contacts(${ids[0]})`, { token: t })).status).toBe(204);
    expect((await xapi('DELETE', `/Contacts(${ids[0]})`, { token: t })).status).toBe(404);
    expect(pbx!.contacts()).toHaveLength(104);
    const found = await xapi('GET', `/Contacts?$filter=${encodeURIComponent("contains(LastName,'L10')")}&$select=LastName`, { token: t });
    expect(found.body.value).toHaveLength(6);
  });

  it('seeds a few messy contacts', async () => {
    await start();
    expect(pbx!.contacts().map((c) => c.LastName)).toEqual(['Support', 'Durand', 'Night Line']);
  });
});

describe('3CX sandbox: probes', () => {
  it('reports version, licence, ENL and native M365 sync, following the control methods', async () => {
    await start({ extensionLength: 4, version: '20.0.8.100', enterprise: false });
    const t = await token();
    expect((await xapi('GET', '/SystemStatus?$select=Version,LicenseActive,MaxUserExtensions', { token: t })).body).toMatchObject({
      Version: '20.0.8.100',
      LicenseActive: true,
      MaxUserExtensions: 100,
    });
    expect((await xapi('GET', '/Defs/Pbx.GetLicenseParameters()', { token: t })).body.IsEnterprise).toBe(false);
    expect((await xapi('GET', '/Defs/Pbx.GetSystemParameters()', { token: t })).body.ENL).toBe(4);
    expect((await xapi('GET', '/Microsoft365Integration', { token: t })).body.AdUsers.IsEnabled).toBe(false);
    pbx!.setVersion('20.0.10.900');
    pbx!.setEnterprise(true);
    pbx!.setNativeM365Sync(true);
    expect((await xapi('GET', '/SystemStatus', { token: t })).body.Version).toBe('20.0.10.900');
    expect((await xapi('GET', '/Defs/Pbx.GetLicenseParameters()', { token: t })).body.IsEnterprise).toBe(true);
    expect((await xapi('GET', '/Microsoft365Integration?$select=AdUsers', { token: t })).body.AdUsers.IsEnabled).toBe(true);
  });

  it('answers an unknown path with a 404 envelope and a wrong method with 405', async () => {
    await start();
    const t = await token();
    const unknown = await xapi('GET', '/Nope', { token: t });
    expect(unknown.status).toBe(404);
    expect(typeof unknown.body.error.message).toBe('string');
    expect((await xapi('PUT', '/Users(1)', { token: t, body: {} })).status).toBe(405);
  });
});

describe('3CX sandbox: faults and stats', () => {
  it('throttles with Retry-After and fails with 503, changing nothing', async () => {
    await start();
    const t = await token();
    pbx!.faults.throttleNext(1, 7);
    const throttled = await xapi('POST', '/Users', { token: t, body: { Number: '555' } });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(throttled.body.error).toBeDefined();
    pbx!.faults.failNext(1);
    const failed = await xapi('POST', '/Users', { token: t, body: { Number: '555' } });
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('');
    expect(pbx!.userByNumber('555')).toBeUndefined();
    expect(pbx!.stats.writes).toBe(0);
    expect((await xapi('POST', '/Users', { token: t, body: { Number: '555' } })).status).toBe(201);
  });

  it('applies faults only to authenticated XAPI requests', async () => {
    await start();
    pbx!.faults.failNext(1);
    expect((await xapi('GET', '/Users', { token: null })).status).toBe(401);
    expect(
      (await tokenRequest({ client_id: '900', client_secret: pbx!.credentials.clientSecret, grant_type: 'client_credentials' })).status,
    ).toBe(200);
    expect((await xapi('GET', '/Groups')).status).toBe(503);
  });

  it('answers 429 over rateLimitPerMinute', async () => {
    await start({ rateLimitPerMinute: 60, now: () => 0 });
    const t = await token();
    expect((await xapi('GET', '/Groups', { token: t })).status).toBe(200);
    expect((await xapi('GET', '/Groups', { token: t })).status).toBe(200);
    const third = await xapi('GET', '/Groups', { token: t });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
  });

  it('counts requests per route', async () => {
    await start();
    pbx!.stats.reset();
    const t = await token();
    await xapi('GET', '/Users(1)', { token: t });
    await xapi('GET', `/Users(Number='100')`, { token: t });
    expect(pbx!.stats.byRoute).toEqual({ 'POST /connect/token': 1, 'GET /Users({key})': 2 });
    expect(pbx!.stats.requests).toBe(3);
    expect(pbx!.stats.tokensIssued).toBe(1);
  });
});
