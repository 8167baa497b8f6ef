import { type PbxContact, type PbxContactFields } from './PbxContact';

/**
 * Port (not implemented yet): the tenant-wide phonebook an admin token manages (PortSIP `/api/contacts`,
 * 3CX `/Contacts`). The connector keeps its own contact ↔ source links, so no product-side marker is needed.
 */
export interface PbxCompanyContacts {
  listContacts(): AsyncIterable<PbxContact[]>;
  createContact(fields: PbxContactFields): Promise<{ id: string }>;
  /** Sends only the given fields. */
  updateContact(id: string, changes: Partial<PbxContactFields>): Promise<void>;
  /** Already gone counts as done. */
  deleteContact(id: string): Promise<void>;
}
