import { type PbxAccount } from '../ports/PbxAccount';
import { type PbxContact, type PbxContactFields } from '../ports/PbxContact';
import { type PbxPersonalContacts } from '../ports/PbxPersonalContacts';
import { PortSipContactBook } from './PortSipContactBook';
import { type PortSipUserSessions } from './PortSipUserSessions';

/**
 * The PortSIP v22 adapter of the PbxPersonalContacts port: `/api/user/contacts` acts only for whoever signed in,
 * so every call goes through a session as the owner (PortSipUserSessions), which fails with NoUserAccess for a
 * user whose portal password the connector does not keep or can no longer use.
 */
export class PortSipPersonalContacts implements PbxPersonalContacts {
  constructor(private readonly sessions: PortSipUserSessions) {}

  listContacts(owner: PbxAccount): AsyncIterable<PbxContact[]> {
    return this.bookOf(owner).listContacts();
  }

  createContact(owner: PbxAccount, fields: PbxContactFields): Promise<{ id: string }> {
    return this.bookOf(owner).createContact(fields);
  }

  updateContact(owner: PbxAccount, id: string, changes: Partial<PbxContactFields>): Promise<void> {
    return this.bookOf(owner).updateContact(id, changes);
  }

  deleteContact(owner: PbxAccount, id: string): Promise<void> {
    return this.bookOf(owner).deleteContact(id);
  }

  private bookOf(owner: PbxAccount): PortSipContactBook {
    return new PortSipContactBook(this.sessions.apiFor(owner), '/user/contacts', `personal contact of user ${owner.userName}`);
  }
}
