import { AppError, isAppError } from '../../core/errors/AppError';
import { type PbxCompanyContacts } from '../ports/PbxCompanyContacts';
import { type PbxContact, type PbxContactFields } from '../ports/PbxContact';
import { odataId } from './odataKey';
import { type ThreeCxApi } from './ThreeCxApi';
import { contactBody, toPbxContact } from './threeCxContactFields';
import { CONTACT_SELECT, CreatedSchema, ThreeCxContactSchema } from './threeCxSchemas';

/**
 * The 3CX V20 XAPI adapter of the company phonebook (`/Contacts`). ⚠ Which book a POST lands in (company or
 * the API client's department) is undocumented; 3CX lists both kinds under /Contacts.
 */
export class ThreeCxCompanyContacts implements PbxCompanyContacts {
  constructor(private readonly api: ThreeCxApi) {}

  async *listContacts(): AsyncIterable<PbxContact[]> {
    for await (const contacts of this.api.pages('/Contacts', `$select=${CONTACT_SELECT}`, ThreeCxContactSchema, 'listing 3CX contacts')) {
      yield contacts.map(toPbxContact);
    }
  }

  async createContact(fields: PbxContactFields): Promise<{ id: string }> {
    const what = `creating 3CX contact ${JSON.stringify(fields.displayName)}`;
    const created = await this.api.read(CreatedSchema, 'POST', '/Contacts', { what, body: contactBody(fields) });
    if (created.Id === undefined) throw new AppError('INTERNAL', `${what}: 3CX answered without the new contact's Id`);
    return { id: created.Id };
  }

  async updateContact(id: string, changes: Partial<PbxContactFields>): Promise<void> {
    const what = `updating 3CX contact ${id}`;
    const key = odataId(id, what);
    const body = contactBody(changes);
    // A display name alone: if the contact is named by it (no LastName), FirstName follows. ⚠ A contact whose only
    // name is a given name looks the same, so its FirstName is replaced by the display name too.
    if (changes.displayName !== undefined && changes.givenName === undefined && changes.surname === undefined) {
      const current = await this.api.read(ThreeCxContactSchema, 'GET', `/Contacts(${key})?$select=${CONTACT_SELECT}`, { what });
      if (current.LastName === '') body.FirstName = changes.displayName;
    }
    if (Object.keys(body).length === 0) return;
    await this.api.call('PATCH', `/Contacts(${key})`, { what, body });
  }

  async deleteContact(id: string): Promise<void> {
    const what = `deleting 3CX contact ${id}`;
    try {
      await this.api.call('DELETE', `/Contacts(${odataId(id, what)})`, { what });
    } catch (err) {
      // Already gone is what we wanted.
      if (!isAppError(err, 'NOT_FOUND')) throw err;
    }
  }
}
