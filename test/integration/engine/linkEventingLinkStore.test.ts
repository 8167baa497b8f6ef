import { describe, expect, it } from 'vitest';
import { LinkEventLog } from '../../../shared/engine/LinkEventLog';
import { LinkEventingLinkStore } from '../../../shared/engine/LinkEventingLinkStore';
import { type UserLink } from '../../../shared/engine/LinkStore';
import { createTestServices } from '../../support/testServices';

const reservation = (objectId: string, extensionNumber: string): UserLink => ({
  tenantId: 't1',
  objectId,
  state: 'creating',
  origin: 'created',
  pbxUserName: `user${objectId}`,
  extensionNumber,
  boundToMicrosoft365: false,
  updatedAt: '2026-12-01T00:00:00Z',
});

async function setup() {
  const services = await createTestServices();
  const log = new LinkEventLog('t1', 'users');
  return { services, log, links: new LinkEventingLinkStore(services.links, log) };
}

describe('LinkEventingLinkStore over the table link store', () => {
  it('reports linked when a reservation becomes an extension, not when it is reserved or its fields change', async () => {
    const { links, log } = await setup();
    const reserved = await links.create(reservation('a', '1000'));
    expect(log.isEmpty).toBe(true);
    const active = await links.update({ ...reserved, state: 'active', pbxUserId: 'p-a' });
    const renamed = await links.update({ ...active, pbxUserName: 'renamed' });
    expect(renamed.pbxUserName).toBe('renamed');
    expect(log.snapshot()).toMatchObject({
      tenantId: 't1',
      feature: 'users',
      counts: { linked: 1, unlinked: 0, numberChanged: 0 },
      events: [{ kind: 'linked', feature: 'users', sourceId: 'a', pbxId: 'p-a', extension: '1000' }],
      truncated: false,
    });
  });

  it('reports a changed number with the number before, and an unlink with what was linked', async () => {
    const { links, log, services } = await setup();
    // Written around the log, then read through it: the store compares with what it has seen.
    const stored = await services.links.create({ ...reservation('b', '2000'), state: 'active', pbxUserId: 'p-b' });
    expect(await links.get('t1', 'b')).toMatchObject({ extensionNumber: '2000' });
    await links.update({ ...stored, extensionNumber: '2001' });
    await links.delete('t1', 'b');
    expect(log.snapshot().events).toEqual([
      { kind: 'numberChanged', feature: 'users', sourceId: 'b', pbxId: 'p-b', extension: '2001', previousExtension: '2000' },
      { kind: 'unlinked', feature: 'users', sourceId: 'b', pbxId: 'p-b', extension: '2001' },
    ]);
  });

  it('says nothing when a reservation whose create never completed is forgotten', async () => {
    const { links, log } = await setup();
    await links.create(reservation('c', '3000'));
    await links.delete('t1', 'c');
    expect(log.isEmpty).toBe(true);
  });

  it('reports only the confirmed writes of a batch', async () => {
    const { links, log, services } = await setup();
    const taken = await services.links.create({ ...reservation('d', '4000'), state: 'active', pbxUserId: 'p-d' });
    await links.listByTenant('t1');
    const results = await links.writeMany('t1', [
      { kind: 'create', link: { ...reservation('e', '5000'), state: 'active', pbxUserId: 'p-e' } },
      // Already exists: refused, so not reported.
      { kind: 'create', link: { ...taken, etag: undefined, extensionNumber: '4001' } },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(log.snapshot().events).toEqual([{ kind: 'linked', feature: 'users', sourceId: 'e', pbxId: 'p-e', extension: '5000' }]);
  });
});
