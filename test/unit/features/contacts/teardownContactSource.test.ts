import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/core/errors/AppError';
import { type ContactLink } from '../../../../shared/engine/ContactLinkStore';
import { type ContactSource } from '../../../../shared/engine/ContactSourceStore';
import { type ContactBook } from '../../../../shared/features/contacts/ContactBook';
import {
  ContactTeardownTally,
  contactTeardownStep,
  teardownContactSource,
} from '../../../../shared/features/contacts/teardownContactSource';
import { type PbxContact, type PbxContactFields } from '../../../../shared/pbx/ports/PbxContact';
import { noUserAccess } from '../../../../shared/pbx/ports/PortalPasswords';
import { GRACE_HOPPER } from '../../../support/threeCxPeople';

describe('contactTeardownStep', () => {
  it('deletes a linked contact only when deleting, else hands it over', () => {
    expect(contactTeardownStep({ pbxContactId: 'c1' }, true)).toBe('delete');
    expect(contactTeardownStep({ pbxContactId: 'c1' }, false)).toBe('handOver');
  });

  it('looks a reservation up when deleting, else forgets it (whether its create happened is unknown)', () => {
    expect(contactTeardownStep({ pbxContactId: undefined }, true)).toBe('lookUp');
    expect(contactTeardownStep({ pbxContactId: undefined }, false)).toBe('forget');
  });
});

describe('ContactTeardownTally', () => {
  it('counts a contact that failed, then went on a second try, once and as deleted', () => {
    const tally = new ContactTeardownTally();
    tally.fail('s/1', 'PBX down');
    tally.fail('s/2', 'refused');
    tally.done('s/1', 'delete');
    expect(tally.result()).toEqual({
      deleted: 1,
      handedOver: 0,
      restored: 0,
      failed: 1,
      notes: ['1 contact(s) could not be let go; their links are kept (first error: refused)'],
    });
  });

  it('a dry run counts a look-up as the delete it would be, and says what it forgets', () => {
    const tally = new ContactTeardownTally();
    for (const step of ['delete', 'lookUp', 'handOver', 'forget'] as const) tally.plan(step);
    expect(tally.result()).toMatchObject({ deleted: 2, handedOver: 1, failed: 0 });
    expect(tally.result().notes).toEqual(['1 contact(s) whose PBX create never finished: forgotten']);
  });
});

const TENANT = 't1';
const source: ContactSource = {
  tenantId: TENANT,
  sourceKey: 'phonebook.abc',
  feature: 'phonebook',
  mailbox: 'reception@contoso.com',
  folderId: 'default',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const fields: PbxContactFields = { ...GRACE_HOPPER };
const link = (contactId: string, pbxContactId?: string): ContactLink => ({
  tenantId: TENANT,
  sourceKey: source.sourceKey,
  contactId,
  state: pbxContactId ? 'active' : 'creating',
  pbxContactId,
  fields,
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** In-memory stores and a book over a list of PBX contacts; `refuse` makes the book's delete of an id fail. */
function world(links: ContactLink[], onPbx: PbxContact[], refuse: (id: string) => Error | undefined = () => undefined) {
  const kept = new Map(links.map((l) => [l.contactId, l]));
  const contacts = new Map(onPbx.map((c) => [c.id, c]));
  const sources = new Set([source.sourceKey]);
  const cleared: string[] = [];
  const deps = {
    tenantId: TENANT,
    contactLinks: {
      listBySource: async () => [...kept.values()],
      putMany: async () => {},
      deleteMany: async (_t: string, _s: string, ids: readonly string[]) => ids.forEach((id) => kept.delete(id)),
      deleteSource: async () => kept.clear(),
      deleteAllForTenant: async () => kept.clear(),
    },
    contactSources: {
      listByTenant: async () => [],
      put: async () => {},
      delete: async (_t: string, key: string) => void sources.delete(key),
      deleteAllForTenant: async () => {},
    },
    deltaStates: { clear: async (_t: string, key: string) => void cleared.push(key) } as never,
  };
  const book: ContactBook = {
    async *list() {
      yield [...contacts.values()];
    },
    create: async () => ({ id: 'new' }),
    update: async () => {},
    delete: async (id) => {
      const err = refuse(id);
      if (err) throw err;
      contacts.delete(id);
    },
  };
  return { deps, book, kept, contacts, sources, cleared };
}

const onPbx = (id: string, overrides: Partial<PbxContact> = {}): PbxContact => ({ ...fields, id, ...overrides });

describe('teardownContactSource', () => {
  it('deletes what the links name, finds an interrupted create by its fields, and lets go of the folder', async () => {
    const w = world([link('a', 'c1'), link('b')], [onPbx('c1'), onPbx('c2'), onPbx('byHand', { displayName: 'Someone Else' })]);
    const tally = new ContactTeardownTally();
    await teardownContactSource(w.deps, source, w.book, tally, false);
    expect(tally.result()).toMatchObject({ deleted: 2, failed: 0 });
    expect([...w.contacts.keys()]).toEqual(['byHand']);
    expect(w.kept.size).toBe(0);
    expect(w.sources.size).toBe(0);
    expect(w.cleared).toEqual([source.sourceKey]);
  });

  it('keeps the link (and the folder record) of a contact whose delete failed', async () => {
    const w = world([link('a', 'c1'), link('b', 'c2')], [onPbx('c1'), onPbx('c2')], (id) =>
      id === 'c2' ? new AppError('UNPROCESSABLE', 'PBX said no') : undefined,
    );
    const tally = new ContactTeardownTally();
    await teardownContactSource(w.deps, source, w.book, tally, false);
    expect(tally.result()).toMatchObject({ deleted: 1, failed: 1 });
    expect([...w.kept.keys()]).toEqual(['b']);
    expect(w.sources.has(source.sourceKey)).toBe(true);
    // The delta state goes anyway: a resume reads the folder in full and finds the kept link.
    expect(w.cleared).toEqual([source.sourceKey]);
  });

  it('without a book hands over, forgets reservations and writes nothing on the PBX', async () => {
    const w = world([link('a', 'c1'), link('b')], [onPbx('c1')]);
    const tally = new ContactTeardownTally();
    await teardownContactSource(w.deps, source, undefined, tally, false);
    expect(tally.result()).toMatchObject({ deleted: 0, handedOver: 1, failed: 0 });
    expect(w.contacts.has('c1')).toBe(true);
    expect(w.kept.size).toBe(0);
  });

  it('a dry run counts and changes nothing', async () => {
    const w = world([link('a', 'c1'), link('b', 'c2')], [onPbx('c1'), onPbx('c2')]);
    const tally = new ContactTeardownTally();
    await teardownContactSource(w.deps, source, w.book, tally, true);
    expect(tally.result()).toMatchObject({ deleted: 2 });
    expect(w.contacts.size).toBe(2);
    expect(w.kept.size).toBe(2);
    expect(w.cleared).toEqual([]);
  });

  it('stops at a user the connector cannot act as, after letting go of what it deleted, and throws it', async () => {
    const noAccess = noUserAccess('passwordRejected', 'the PBX refused the kept password');
    const w = world([link('a', 'c1')], [onPbx('c1')], () => noAccess);
    const tally = new ContactTeardownTally();
    await expect(teardownContactSource(w.deps, source, w.book, tally, false)).rejects.toBe(noAccess);
    expect(w.kept.size).toBe(1);
    expect(tally.result()).toMatchObject({ deleted: 0, failed: 0 });
  });
});
