import { type PbxContact } from '../ports/PbxContact';
import { type PortSipContact } from './portSipSchemas';

/** A PortSIP contact as the port sees it: its one `name` is the display name; given name and surname stay blank. */
export function toPbxContact(contact: PortSipContact): PbxContact {
  return {
    id: contact.id,
    displayName: contact.name,
    givenName: '',
    surname: '',
    company: contact.company,
    jobTitle: contact.title,
    email: contact.email,
    businessPhone: contact.business,
    businessPhone2: contact.business2,
    mobilePhone: contact.mobile_phone,
    homePhone: contact.home_phone,
    homePhone2: contact.home_phone2,
    address: contact.address,
    notes: contact.notes,
  };
}
