import { type PbxCompanyContacts } from '../ports/PbxCompanyContacts';
import { type PbxContact, type PbxContactFields } from '../ports/PbxContact';
import { type PortSipApi } from './PortSipApi';
import { PortSipContactBook } from './PortSipContactBook';

/**
 * The PortSIP v22 adapter of the PbxCompanyContacts port (`/api/contacts`) on the admin's session (from v22.3 the
 * account needs the `CompanyContact.FullAccess` permission). PortSIP keeps one `name` per contact: it gets the
 * display name, and reads back as the display name with blank given name and surname.
 */
export class PortSipCompanyContacts implements PbxCompanyContacts {
  private readonly book: PortSipContactBook;

  constructor(api: PortSipApi) {
    this.book = new PortSipContactBook(api, '/contacts', 'company contact');
  }

  listContacts(): AsyncIterable<PbxContact[]> {
    return this.book.listContacts();
  }

  createContact(fields: PbxContactFields): Promise<{ id: string }> {
    return this.book.createContact(fields);
  }

  updateContact(id: string, changes: Partial<PbxContactFields>): Promise<void> {
    return this.book.updateContact(id, changes);
  }

  deleteContact(id: string): Promise<void> {
    return this.book.deleteContact(id);
  }
}
