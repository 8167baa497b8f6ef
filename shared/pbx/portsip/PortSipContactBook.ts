import { nullIfNotFound } from '../../core/errors/nullIfNotFound';
import { type PbxContact, type PbxContactFields } from '../ports/PbxContact';
import { type PortSipCalls } from './PortSipApi';
import { portSipPages } from './portSipPages';
import { CreatedSchema, PortSipContactSchema } from './portSipSchemas';
import { toPbxContact } from './toPbxContact';
import { toPortSipContactFields } from './toPortSipContactFields';

const id = (value: string) => encodeURIComponent(value);

/**
 * One PortSIP phonebook: the company contacts (`/contacts`, admin) or a user's own (`/user/contacts`, as the
 * user). Both have the same fields and calls (reference/portsip.md §4); the list has only `skip`/`top`.
 */
export class PortSipContactBook {
  constructor(
    private readonly api: PortSipCalls,
    /** '/contacts' or '/user/contacts'. */
    private readonly root: string,
    /** For messages: "company contact", "personal contact of user alice". */
    private readonly label: string,
  ) {}

  async *listContacts(): AsyncIterable<PbxContact[]> {
    for await (const items of portSipPages(this.api, this.root, PortSipContactSchema, `listing ${this.label}s`, (c) => c.id))
      yield items.map(toPbxContact);
  }

  async createContact(fields: PbxContactFields): Promise<{ id: string }> {
    const what = `creating ${this.label}`;
    // On a new contact, blank and absent are the same: blank fields are left out.
    const body = Object.fromEntries(Object.entries(toPortSipContactFields(fields, what)).filter(([, value]) => value !== ''));
    const created = await this.api.read(CreatedSchema, 'POST', this.root, { what, body, ...(body.name ? { subject: body.name } : {}) });
    return { id: created.id };
  }

  async updateContact(contactId: string, changes: Partial<PbxContactFields>): Promise<void> {
    const what = `updating ${this.label} ${contactId}`;
    // ⚠ How PortSIP clears a field is undocumented (only that blank fields come back as null): "" is sent, as for users.
    const body = toPortSipContactFields(changes, what);
    if (Object.keys(body).length === 0) return;
    await this.api.call('POST', `${this.root}/${id(contactId)}`, { what, body });
  }

  async deleteContact(contactId: string): Promise<void> {
    // Already gone is what we wanted.
    await nullIfNotFound(this.api.call('POST', `${this.root}/${id(contactId)}/destroy`, { what: `deleting ${this.label} ${contactId}` }));
  }
}
