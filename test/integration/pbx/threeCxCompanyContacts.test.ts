import { afterEach, describe, expect, it } from 'vitest';
import { type PbxContact } from '../../../shared/pbx/ports/PbxContact';
import { ThreeCxSandbox, type ThreeCxSandboxOptions } from '../../../sandbox/threecx';
import { ThreeCxConfigSchema } from '../../../shared/config/TenantConfig';
import { createThreeCxConnection } from '../../../shared/pbx/threecx/createThreeCxConnection';

/** A 3CX sandbox and a connection to it with its API client (pacing high enough not to slow the tests). */
async function startThreeCx(options: ThreeCxSandboxOptions = {}) {
  const pbx = await ThreeCxSandbox.start(options);
  const connect = () => {
    const config = ThreeCxConfigSchema.parse({
      kind: '3cx',
      baseUrl: pbx.baseUrl,
      clientId: pbx.credentials.clientId,
      rateLimitPerMinute: 600_000,
    });
    return createThreeCxConnection(config, { clientSecret: pbx.credentials.clientSecret, origin: new URL(pbx.baseUrl).origin });
  };
  return { pbx, connection: connect(), connect };
}

let running: ThreeCxSandbox | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const fields = {
  displayName: 'Grace Hopper',
  givenName: 'Grace',
  surname: 'Hopper',
  company: 'Navy',
  jobTitle: 'Rear Admiral',
  email: 'grace@navy.example',
  businessPhone: '+12025550100',
  mobilePhone: '+12025550101',
  homePhone: '+12025550102',
};

describe('ThreeCxCompanyContacts over the 3CX sandbox', () => {
  it('lists the seeded phonebook', async () => {
    const { pbx, connection } = await startThreeCx();
    running = pbx;
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
    const { pbx, connection } = await startThreeCx({ seed: 'empty' });
    running = pbx;
    const contacts = connection.companyContacts;
    const { id } = await contacts.createContact(fields);
    expect(pbx.contacts()).toEqual([
      expect.objectContaining({
        Id: Number(id),
        FirstName: 'Grace',
        LastName: 'Hopper',
        CompanyName: 'Navy',
        Title: 'Rear Admiral',
        Email: 'grace@navy.example',
        Business: '+12025550100',
        PhoneNumber: '+12025550101',
        Home: '+12025550102',
      }),
    ]);
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
