import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { type PbxFieldOwners } from '../../../shared/pbx/ports/PbxFieldOwners';
import { type PbxPresence } from '../../../shared/pbx/ports/PbxPresence';
import { type PbxPresenceChanges } from '../../../shared/pbx/ports/PbxPresenceChanges';
import { type PbxPresenceState } from '../../../shared/pbx/ports/PbxPresenceState';
import { type PbxUserChanges } from '../../../shared/pbx/ports/PbxUserChanges';
import { type PbxUserFields } from '../../../shared/pbx/ports/PbxUserFields';
import { type PbxUsers } from '../../../shared/pbx/ports/PbxUsers';
import { PortSipClient } from '../../../shared/pbx/portsip/PortSipClient';
import { type FakePortSip, startFakePortSip } from './fakePortSipServer';

const fields: PbxUserFields = {
  displayName: 'Kim Lee',
  email: 'kim@contoso.com',
  mobilePhone: '',
  workPhone: '',
  department: 'Sales',
  enabled: true,
};
const presence: PbxPresenceState = { doNotDisturb: true, status: 'away', statusNote: '' };
const kim = { id: 'u1', userName: 'kim' };

/**
 * Never called: the lines marked @ts-expect-error are the test. `tsc --noEmit` over the tree fails if one of
 * them ever compiles (an unused @ts-expect-error is itself an error).
 */
async function writesThroughThePorts(users: PbxUsers, presenceForUsers: PbxPresence): Promise<void> {
  // What each port owns goes through.
  await users.updateUser('u1', fields);
  await users.updateUser('u1', { department: '' });
  await presenceForUsers.setPresence(kim, presence);
  await presenceForUsers.setPresence(kim, { doNotDisturb: false });

  // Users never writes presence: not as a literal…
  // @ts-expect-error -- DND belongs to PbxPresence
  await users.updateUser('u1', { doNotDisturb: true });
  // @ts-expect-error -- status belongs to PbxPresence
  await users.updateUser('u1', { department: 'Sales', status: 'away' });
  // …nor inside an object built elsewhere, where excess-property checks would not apply.
  const everything = { ...fields, ...presence };
  // @ts-expect-error -- a value carrying presence fields is refused, not just a literal
  await users.updateUser('u1', everything);
  // @ts-expect-error -- nor when it is a whole presence state
  await users.updateUser('u1', presence);
  // @ts-expect-error -- creating a user cannot set presence either
  await users.createUser({ ...fields, userName: 'kim', extensionNumber: '1001', doNotDisturb: true });
  // @ts-expect-error -- PortSIP's own field name is not a port field at all
  await users.updateUser('u1', { enable_dnd: true });

  // Presence never writes display names or any other user field.
  // @ts-expect-error -- the display name belongs to PbxUsers
  await presenceForUsers.setPresence(kim, { displayName: 'Kim' });
  // @ts-expect-error -- a value carrying user fields is refused too
  await presenceForUsers.setPresence(kim, everything);
}

let fake: FakePortSip | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

describe('field ownership between the PBX ports', () => {
  it('gives every field exactly one owning port', () => {
    expectTypeOf<Extract<keyof PbxFieldOwners['users'], keyof PbxFieldOwners['presence']>>().toBeNever();
    expectTypeOf<PbxUserFields>().toExtend<PbxUserChanges>();
    expectTypeOf<PbxPresenceState>().not.toExtend<PbxUserChanges>();
    expectTypeOf<PbxPresenceState>().toExtend<PbxPresenceChanges>();
    expectTypeOf<PbxUserFields>().not.toExtend<PbxPresenceChanges>();
    expect(writesThroughThePorts).toBeTypeOf('function');
  });

  it('PortSIP never sends a presence field from a user update, even one forced past the types', async () => {
    fake = await startFakePortSip((r) => (r.path === '/users/u1' ? { status: 200 } : undefined));
    const client = new PortSipClient({
      baseUrl: fake.baseUrl,
      domain: 'contoso.pbx',
      username: 'syncadmin',
      password: 'Admin!Pass#1',
      role: 'StandardUser',
      rateLimitPerMinute: 60_000,
      maxConcurrency: 2,
    });
    const forced = { department: 'Ops', doNotDisturb: true, enable_dnd: true } as unknown as PbxUserChanges;
    await client.updateUser('u1', forced);
    expect(fake.apiRequests().map((r) => r.body)).toEqual([{ department: 'Ops' }]);
  });
});
