/**
 * A phonebook entry, company-wide or personal. Names come both whole and split because the products differ:
 * PortSIP keeps one `name`, 3CX keeps first and last names; each adapter writes the form its product has.
 * Empty string means "cleared".
 */
export interface PbxContactFields {
  displayName: string;
  givenName: string;
  surname: string;
  company: string;
  jobTitle: string;
  email: string;
  businessPhone: string;
  mobilePhone: string;
  homePhone: string;
}

export interface PbxContact extends PbxContactFields {
  id: string;
}
