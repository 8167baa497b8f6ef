import { afterEach, describe, expect, it } from 'vitest';
import { type PbxGroup } from '../../../shared/pbx/ports/PbxGroup';
import { type PortSipGroups } from '../../../shared/pbx/portsip/PortSipGroups';
import { PortSipSandbox } from '../../../sandbox/portsip';
import { appErrorOf } from '../../support/appErrorOf';
import { type PortSipExchange, recordingPortSipClient } from '../../support/recordingPortSipClient';

let pbx: PortSipSandbox | undefined;
afterEach(async () => {
  await pbx?.stop();
  pbx = undefined;
});

/** A sandbox PBX with extensions 1001-1003 and the groups port of a client whose fetch records every exchange. */
async function setup(): Promise<{ groups: PortSipGroups; sandbox: PortSipSandbox; exchanges: PortSipExchange[] }> {
  pbx = await PortSipSandbox.start();
  for (const n of [1, 2, 3]) pbx.addUser({ name: `user${n}`, extension_number: String(1000 + n), email: `user${n}@contoso.com` });
  const { client, exchanges } = recordingPortSipClient(pbx);
  return { groups: client.groups(), sandbox: pbx, exchanges };
}

async function allGroups(groups: PortSipGroups): Promise<{ pages: number; items: PbxGroup[] }> {
  const items: PbxGroup[] = [];
  let pages = 0;
  for await (const page of groups.listGroups()) {
    pages += 1;
    items.push(...page);
  }
  return { pages, items };
}

describe('PortSipGroups against the sandbox PortSIP', () => {
  it('creates, lists, updates only the given fields and deletes groups', async () => {
    const { groups, sandbox, exchanges } = await setup();
    const { id } = await groups.createGroup({ name: 'Sales', description: '' });
    expect(sandbox.getGroup(id)).toMatchObject({ name: 'Sales', description: null });
    expect((await allGroups(groups)).items).toEqual([{ id, name: 'Sales', description: '' }]);

    await groups.updateGroup(id, { description: 'The sales team' });
    expect(sandbox.getGroup(id)).toMatchObject({ name: 'Sales', description: 'The sales team' });
    await groups.updateGroup(id, { name: 'Sales EMEA' });
    expect(sandbox.getGroup(id)).toMatchObject({ name: 'Sales EMEA', description: 'The sales team' });
    const before = exchanges.length;
    await groups.updateGroup(id, {});
    expect(exchanges.length).toBe(before); // nothing to send: no request

    await groups.deleteGroup(id);
    expect(sandbox.getGroup(id)).toBeUndefined();
    expect((await allGroups(groups)).items).toEqual([]);
  });

  it('pages through more than 100 groups', async () => {
    const { groups, exchanges } = await setup();
    const ids = new Set<string>();
    for (let n = 0; n < 205; n += 1) ids.add((await groups.createGroup({ name: `Group ${n}`, description: `#${n}` })).id);
    const { pages, items } = await allGroups(groups);
    expect(pages).toBe(3);
    expect(new Set(items.map((g) => g.id))).toEqual(ids);
    expect(items[204]).toMatchObject({ name: 'Group 204', description: '#204' });
    expect(exchanges.filter((e) => e.method === 'GET' && e.path === '/api/groups')).toHaveLength(3);
  });

  it('adds, lists and removes members by extension number', async () => {
    const { groups, sandbox } = await setup();
    const { id } = await groups.createGroup({ name: 'Support', description: '' });
    await groups.addMember(id, '1001');
    await groups.addMember(id, '1003');
    expect((await groups.listMembers(id)).sort()).toEqual(['1001', '1003']);
    expect(sandbox.getGroup(id)?.members.sort()).toEqual(['1001', '1003']);
    await groups.removeMember(id, '1001');
    expect(await groups.listMembers(id)).toEqual(['1003']);
  });

  it('counts as done: deleting a missing group, adding a member twice, removing a non-member', async () => {
    const { groups, sandbox, exchanges } = await setup();
    const { id } = await groups.createGroup({ name: 'Ops', description: '' });
    await groups.deleteGroup(id);
    await groups.deleteGroup(id); // 404 from the PBX: already gone
    expect(exchanges.at(-1)).toMatchObject({ method: 'POST', path: `/api/groups/${id}/destroy`, status: 404 });

    const { id: other } = await groups.createGroup({ name: 'Ops 2', description: '' });
    await groups.addMember(other, '1002');
    await groups.addMember(other, '1002'); // refused as a duplicate, then confirmed by the membership check
    expect(exchanges.slice(-2)).toMatchObject([
      { method: 'POST', path: `/api/groups/${other}/members/1002`, status: 400 },
      { method: 'GET', path: `/api/groups/${other}/members/1002`, status: 200 },
    ]);
    expect(sandbox.getGroup(other)?.members).toEqual(['1002']);

    await groups.removeMember(other, '1003'); // never a member
    await groups.removeMember(other, '1002');
    await groups.removeMember(other, '1002'); // no longer a member
    expect(await groups.listMembers(other)).toEqual([]);
  });

  it('refuses an unknown extension and an unknown group with NOT_FOUND', async () => {
    const { groups } = await setup();
    const { id } = await groups.createGroup({ name: 'Team', description: '' });
    const unknownNumber = await appErrorOf(groups.addMember(id, '4242'));
    expect(unknownNumber.code).toBe('NOT_FOUND');
    expect(unknownNumber.message).toContain('adding extension 4242');
    expect((await appErrorOf(groups.listMembers('bm8tc3VjaA=='))).code).toBe('NOT_FOUND');
    expect((await appErrorOf(groups.updateGroup('bm8tc3VjaA==', { name: 'x' }))).code).toBe('NOT_FOUND');
  });

  it('refuses a name of more than 64 characters (or none) with a clear INVALID before sending anything', async () => {
    const { groups, sandbox, exchanges } = await setup();
    const long = 'G'.repeat(65);
    const err = await appErrorOf(groups.createGroup({ name: long, description: '' }));
    expect(err.code).toBe('INVALID');
    expect(err.message).toBe('creating user group: the group name must be 1 to 64 characters (it has 65)');
    expect((await appErrorOf(groups.createGroup({ name: '', description: '' }))).code).toBe('INVALID');
    const { id } = await groups.createGroup({ name: 'G'.repeat(64), description: '' });
    expect((await appErrorOf(groups.updateGroup(id, { name: long }))).code).toBe('INVALID');
    expect(sandbox.getGroup(id)?.name).toBe('G'.repeat(64));
    expect(exchanges.filter((e) => e.method === 'POST' && e.path.startsWith('/api/groups'))).toHaveLength(1);
  });

  it('counts every request it sends, shared with the users port', async () => {
    const { groups, sandbox } = await setup();
    const { id } = await groups.createGroup({ name: 'Count', description: '' });
    await groups.addMember(id, '1001');
    await groups.addMember(id, '1001');
    await groups.listMembers(id);
    // sign-in, create, add, add (refused), check, list
    expect(groups.requestCount()).toBe(6);
    expect(groups.requestCount()).toBe(sandbox.stats.requests);
  });
});
