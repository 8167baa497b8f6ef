import { afterEach, describe, expect, it } from 'vitest';
import { type PbxContact, type PbxContactFields } from '../../../shared/pbx/ports/PbxContact';
import { PortSipSandbox } from '../../../sandbox/portsip';
import { appErrorOf } from '../../support/appErrorOf';
import { recordingPortSipClient } from '../../support/recordingPortSipClient';

let pbx: PortSipSandbox | undefined;
afterEach(async () => {
  await pbx?.stop();
  pbx = undefined;
});

async function setup() {
  pbx = await PortSipSandbox.start();
  const { client, exchanges } = recordingPortSipClient(pbx);
  return { contacts: client.companyContacts(), client, exchanges, sandbox: pbx };
}

const fields = (overrides: Partial<PbxContactFields> = {}): PbxContactFields => ({
  displayName: 'Fabrikam Reception',
  givenName: 'Front',
  surname: 'Desk',
  company: 'Fabrikam',
  jobTitle: 'Reception',
  email: 'desk@fabrikam.com',
  businessPhone: '+1 425 555 0100',
  businessPhone2: '+1 425 555 0101',
  mobilePhone: '+1 206 555 0102',
  homePhone: '',
  homePhone2: '+1 206 555 0103',
  address: '1 Main St, 98052 Redmond, WA, United States',
  notes: 'front desk',
  ...overrides,
});

async function all(pages: AsyncIterable<PbxContact[]>): Promise<PbxContact[]> {
  const out: PbxContact[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

describe('PortSipCompanyContacts against the sandbox PortSIP', () => {
  it('creates, lists, updates only the given fields (clearing with ""), and deletes', async () => {
    const { contacts, sandbox, exchanges } = await setup();
    const { id } = await contacts.createContact(fields());
    expect(exchanges.at(-1)?.body).not.toHaveProperty('home_phone'); // blank on create: left out
    expect(sandbox.companyContacts()[0]).toMatchObject({
      id,
      name: 'Fabrikam Reception',
      company: 'Fabrikam',
      title: 'Reception',
      business: '+1 425 555 0100',
      business2: '+1 425 555 0101',
      mobile_phone: '+1 206 555 0102',
      home_phone: null,
      home_phone2: '+1 206 555 0103',
      notes: 'front desk',
    });
    // PortSIP has one name: it reads back as the display name, with blank given name and surname.
    expect(await all(contacts.listContacts())).toEqual([{ ...fields(), id, givenName: '', surname: '' }]);

    await contacts.updateContact(id, { mobilePhone: '', jobTitle: 'Front desk' });
    expect(exchanges.at(-1)).toMatchObject({ method: 'POST', body: { mobile_phone: '', title: 'Front desk' }, status: 200 });
    expect(sandbox.companyContacts()[0]).toMatchObject({
      mobile_phone: null,
      title: 'Front desk',
      company: 'Fabrikam',
      name: 'Fabrikam Reception',
    });
    const before = exchanges.length;
    await contacts.updateContact(id, {});
    expect(exchanges).toHaveLength(before); // nothing to send, nothing sent

    await contacts.deleteContact(id);
    await contacts.deleteContact(id); // already gone: done
    expect(sandbox.companyContacts()).toEqual([]);
  });

  it('names a contact "given surname" without a display name, cuts the name to 64 and long fields to their limits', async () => {
    const { contacts, sandbox } = await setup();
    await contacts.createContact(fields({ displayName: '', givenName: 'Ada', surname: 'Lovelace' }));
    const long = `${'é'.repeat(63)}😀tail`;
    await contacts.createContact(fields({ displayName: long, notes: 'n'.repeat(2000), address: 'a'.repeat(300) }));
    const [first, second] = sandbox.companyContacts();
    expect(first!.name).toBe('Ada Lovelace');
    expect(second!.name).toBe('é'.repeat(63)); // the emoji would not fit whole
    expect(second!.notes).toHaveLength(1024);
    expect(second!.address).toHaveLength(128);

    const nameless = await appErrorOf(contacts.createContact(fields({ displayName: ' ', givenName: '', surname: '' })));
    expect(nameless.code).toBe('INVALID');
    const longMail = await appErrorOf(contacts.createContact(fields({ email: `${'x'.repeat(130)}@fabrikam.com` })));
    expect(longMail.code).toBe('INVALID');
    expect(longMail.details).toEqual({ field: 'email' });
    expect(sandbox.companyContacts()).toHaveLength(2);
  });

  it('reads every page of a long phonebook', async () => {
    const { contacts } = await setup();
    for (let i = 0; i < 230; i += 1) await contacts.createContact(fields({ displayName: `Contact ${i}` }));
    const listed = await all(contacts.listContacts());
    expect(listed).toHaveLength(230);
    expect(new Set(listed.map((c) => c.id)).size).toBe(230);
  });
});
