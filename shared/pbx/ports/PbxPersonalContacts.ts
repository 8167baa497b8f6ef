import { type PbxAccount } from './PbxAccount';
import { type PbxContact, type PbxContactFields } from './PbxContact';

/**
 * Port: one user's own contacts. PortSIP has no admin path to them (PbxProfile.adminCanWritePersonalContacts
 * false): its adapter signs in as the owner with the portal password the connector kept when it created the
 * user (PortalPasswords), so it serves only such users; any other owner fails with a NoUserAccess error
 * (see PortalPasswords.ts) that says why. A product whose admin API writes personal contacts implements it
 * without per-user sign-in.
 */
export interface PbxPersonalContacts {
  listContacts(owner: PbxAccount): AsyncIterable<PbxContact[]>;
  createContact(owner: PbxAccount, fields: PbxContactFields): Promise<{ id: string }>;
  /** Sends only the given fields. */
  updateContact(owner: PbxAccount, id: string, changes: Partial<PbxContactFields>): Promise<void>;
  /** Already gone counts as done. */
  deleteContact(owner: PbxAccount, id: string): Promise<void>;
}
