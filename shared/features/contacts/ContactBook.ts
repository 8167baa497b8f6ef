import { type PbxAccount } from '../../pbx/ports/PbxAccount';
import { type PbxCompanyContacts } from '../../pbx/ports/PbxCompanyContacts';
import { type PbxContact, type PbxContactFields } from '../../pbx/ports/PbxContact';
import { type PbxPersonalContacts } from '../../pbx/ports/PbxPersonalContacts';

/** The PBX contact list one source folder is copied into: the company phonebook, or one user's own contacts. */
export interface ContactBook {
  list(): AsyncIterable<PbxContact[]>;
  create(fields: PbxContactFields): Promise<{ id: string }>;
  update(id: string, changes: Partial<PbxContactFields>): Promise<void>;
  delete(id: string): Promise<void>;
}

export function companyBook(port: PbxCompanyContacts): ContactBook {
  return {
    list: () => port.listContacts(),
    create: (fields) => port.createContact(fields),
    update: (id, changes) => port.updateContact(id, changes),
    delete: (id) => port.deleteContact(id),
  };
}

export function personalBook(port: PbxPersonalContacts, owner: PbxAccount): ContactBook {
  return {
    list: () => port.listContacts(owner),
    create: (fields) => port.createContact(owner, fields),
    update: (id, changes) => port.updateContact(owner, id, changes),
    delete: (id) => port.deleteContact(owner, id),
  };
}
