import { describe, expect, it } from 'vitest';
import { connectionOver } from './connectionOver';
import { fakeXapi } from './fakeXapi';
import { GRACE_HOPPER as fields, GRACE_HOPPER_XAPI } from '../../../support/threeCxPeople';

const json = (body?: string) => (body ? (JSON.parse(body) as Record<string, unknown>) : undefined);

describe('ThreeCxCompanyContacts', () => {
  it('creates with the 3CX contact fields and lists them back', async () => {
    const fake = fakeXapi();
    fake.on('POST', /^\/xapi\/v1\/Contacts$/, () => ({ status: 201, body: { Id: 12 } }));
    fake.on('GET', /^\/xapi\/v1\/Contacts$/, () => ({
      status: 200,
      body: {
        value: [{ Id: 12, ...GRACE_HOPPER_XAPI }],
      },
    }));
    const { companyContacts } = connectionOver(fake);
    expect(await companyContacts.createContact(fields)).toEqual({ id: '12' });
    expect(json(fake.requests.find((r) => r.method === 'POST' && r.url === '/xapi/v1/Contacts')!.body)).toEqual(GRACE_HOPPER_XAPI);
    const listed = [];
    for await (const page of companyContacts.listContacts()) listed.push(...page);
    expect(listed).toEqual([{ id: '12', ...fields }]);
    expect(fake.requests.find((r) => r.method === 'GET' && r.url.startsWith('/xapi/v1/Contacts'))!.url).toMatch(/\$top=100&\$skip=0$/);
  });

  it('updates only the given fields; a display-name-only contact keeps it in FirstName', async () => {
    const fake = fakeXapi();
    fake.on('PATCH', /^\/xapi\/v1\/Contacts\(\d+\)$/, () => ({ status: 204 }));
    fake.on('GET', /^\/xapi\/v1\/Contacts\(3\)$/, () => ({ status: 200, body: { Id: 3, FirstName: 'Front desk', LastName: '' } }));
    const { companyContacts } = connectionOver(fake);
    await companyContacts.updateContact('2', { jobTitle: 'Admiral', mobilePhone: '' });
    await companyContacts.updateContact('3', { displayName: 'Reception' });
    await companyContacts.updateContact('4', { displayName: 'Lab', givenName: '', surname: '' });
    const patches = fake.requests.filter((r) => r.method === 'PATCH').map((r) => [r.url, json(r.body)]);
    expect(patches).toEqual([
      ['/xapi/v1/Contacts(2)', { Title: 'Admiral', PhoneNumber: '' }],
      ['/xapi/v1/Contacts(3)', { FirstName: 'Reception' }],
      ['/xapi/v1/Contacts(4)', { FirstName: 'Lab', LastName: '' }],
    ]);
  });

  it('deletes; already gone is done', async () => {
    const fake = fakeXapi();
    fake.on('DELETE', /^\/xapi\/v1\/Contacts\(5\)$/, () => ({ status: 404 }));
    await connectionOver(fake).companyContacts.deleteContact('5');
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });
});
