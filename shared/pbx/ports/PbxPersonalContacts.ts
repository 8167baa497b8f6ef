import { type PbxContact, type PbxContactFields } from './PbxContact';

/**
 * Port (not implemented yet): one user's own contacts, addressed by the owner's PBX user id. Neither PortSIP
 * nor 3CX lets an admin token write them (PbxProfile.adminCanWritePersonalContacts): a PortSIP adapter would
 * need a session as that user (`/api/user/contacts`), so it could serve only users whose portal password the
 * connector keeps; 3CX's XAPI has no write path at all.
 */
export interface PbxPersonalContacts {
  listContacts(ownerId: string): AsyncIterable<PbxContact[]>;
  createContact(ownerId: string, fields: PbxContactFields): Promise<{ id: string }>;
  /** Sends only the given fields. */
  updateContact(ownerId: string, id: string, changes: Partial<PbxContactFields>): Promise<void>;
  /** Already gone counts as done. */
  deleteContact(ownerId: string, id: string): Promise<void>;
}
