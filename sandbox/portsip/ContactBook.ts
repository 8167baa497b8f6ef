import { type ContactTextField } from './contactBodies';

/** A stored contact: PortSIP's fields, null = blank (as PortSIP returns blank fields). */
export type ContactRecord = { readonly id: string; name: string; favorite: boolean } & Record<ContactTextField, string | null>;

/** One phonebook (the tenant's company contacts, or one user's personal contacts) in creation order. */
export class ContactBook {
  private readonly byId = new Map<string, ContactRecord>();

  get(id: string): ContactRecord | undefined {
    return this.byId.get(id);
  }

  add(record: ContactRecord): void {
    this.byId.set(record.id, record);
  }

  remove(record: ContactRecord): void {
    this.byId.delete(record.id);
  }

  all(): ContactRecord[] {
    return [...this.byId.values()];
  }
}
