import { type ContactLink } from '../../engine/ContactLinkStore';
import { type ContactsDeltaPage } from '../../graph/OutlookContact';
import { type PbxContactFields } from '../../pbx/ports/PbxContact';
import { type PbxContactLimits } from '../../pbx/ports/PbxProfile';
import { type ContactSkipReason, contactFieldsFor } from './contactFieldsFor';

/** What one Outlook contact needs on the PBX. */
export type ContactAction =
  | { kind: 'create'; contactId: string; label: string; fields: PbxContactFields }
  /** An earlier create's link is still `creating`: find that create on the PBX, or create now. */
  | { kind: 'resume'; contactId: string; label: string; fields: PbxContactFields; link: ContactLink }
  | { kind: 'update'; contactId: string; label: string; fields: PbxContactFields; link: ContactLink; changed: (keyof PbxContactFields)[] }
  | { kind: 'delete'; contactId: string; label: string; link: ContactLink; reason: 'deleted' | ContactSkipReason }
  | { kind: 'unchanged'; contactId: string }
  | { kind: 'skip'; contactId: string; label: string; reason: ContactSkipReason };

/** The fields whose values differ (what an update sends: a cleared field is sent as ''). */
export function changedContactFields(before: PbxContactFields, after: PbxContactFields): (keyof PbxContactFields)[] {
  return (Object.keys(after) as (keyof PbxContactFields)[]).filter((key) => before[key] !== after[key]);
}

/**
 * Plans one delta page against the folder's links (pure). A contact that becomes unfit for the PBX (its last
 * number removed) is deleted there like a removed one; a removed contact the connector never wrote needs
 * nothing.
 */
export function planContactPage(
  page: ContactsDeltaPage,
  links: ReadonlyMap<string, ContactLink>,
  limits: PbxContactLimits,
): ContactAction[] {
  const actions: ContactAction[] = [];
  for (const contact of page.contacts) {
    const link = links.get(contact.id);
    const label = contact.displayName?.trim() || [contact.givenName, contact.surname].filter(Boolean).join(' ');
    const mapped = contactFieldsFor(contact, limits);
    if ('skip' in mapped) {
      actions.push(
        link
          ? { kind: 'delete', contactId: contact.id, label, link, reason: mapped.skip }
          : { kind: 'skip', contactId: contact.id, label, reason: mapped.skip },
      );
    } else if (!link) actions.push({ kind: 'create', contactId: contact.id, label, fields: mapped.fields });
    else if (link.state === 'creating') actions.push({ kind: 'resume', contactId: contact.id, label, fields: mapped.fields, link });
    else {
      const changed = changedContactFields(link.fields, mapped.fields);
      actions.push(
        changed.length === 0
          ? { kind: 'unchanged', contactId: contact.id }
          : { kind: 'update', contactId: contact.id, label, fields: mapped.fields, link, changed },
      );
    }
  }
  for (const contactId of page.removedIds) {
    const link = links.get(contactId);
    if (link) actions.push({ kind: 'delete', contactId, label: link.fields.displayName, link, reason: 'deleted' });
  }
  return actions;
}
