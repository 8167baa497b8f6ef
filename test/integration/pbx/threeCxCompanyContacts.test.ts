import { describe, expect, it } from 'vitest';
import { type PbxContact } from '../../../shared/pbx/ports/PbxContact';
import { useThreeCxSandbox } from '../../support/threeCxSandboxConnection';
import { GRACE_HOPPER as fields, GRACE_HOPPER_XAPI } from '../../support/threeCxPeople';

const start = useThreeCxSandbox();

describe('ThreeCxCompanyContacts over the 3CX sandbox', () => {
  it('lists the seeded phonebook', async () => {
    const { connection } = await start();
    const contacts: PbxContact[] = [];
    for await (const page of connection.companyContacts.listContacts()) contacts.push(...page);
    expect(contacts).toHaveLength(3);
    expect(contacts.find((c) => c.surname === 'Night Line')).toMatchObject({
      displayName: 'Night Line',
      givenName: '',
      businessPhone: '+18005550199',
    });
    expect(contacts.find((c) => c.givenName === 'Acme')).toMatchObject({
      company: 'Acme Ltd',
      mobilePhone: '+442071234567',
      businessPhone: '+442071234500',
    });
  });

  it('creates, updates only the given fields, and deletes (twice is fine); lists past a page of 100', async () => {
    const { pbx, connection } = await start({ seed: 'empty' });
    const contacts = connection.companyContacts;
    const { id } = await contacts.createContact(fields);
    expect(pbx.contacts()).toEqual([expect.objectContaining({ Id: Number(id), ...GRACE_HOPPER_XAPI })]);
    await contacts.updateContact(id, { jobTitle: 'Admiral', homePhone: '' });
    expect(pbx.contacts()[0]).toMatchObject({ Title: 'Admiral', Home: '', CompanyName: 'Navy', FirstName: 'Grace' });
    await contacts.deleteContact(id);
    expect(pbx.contacts()).toHaveLength(0);
    await contacts.deleteContact(id);

    for (let n = 0; n < 103; n += 1) await contacts.createContact({ ...fields, surname: `Hopper ${n}` });
    const listed: PbxContact[] = [];
    for await (const page of contacts.listContacts()) listed.push(...page);
    expect(listed).toHaveLength(103);
  });
});
