/**
 * A phonebook entry, company-wide or personal. Names come both whole and split because the products differ:
 * PortSIP keeps one `name`, 3CX keeps first and last names; each adapter writes the form its product has and
 * ignores fields its product lacks. Empty string means "cleared".
 */
export interface PbxContactFields {
  displayName: string;
  givenName: string;
  surname: string;
  company: string;
  jobTitle: string;
  email: string;
  businessPhone: string;
  businessPhone2: string;
  mobilePhone: string;
  homePhone: string;
  homePhone2: string;
  /** One line (street, postal code and city, region, country). */
  address: string;
  notes: string;
}

export interface PbxContact extends PbxContactFields {
  id: string;
}
