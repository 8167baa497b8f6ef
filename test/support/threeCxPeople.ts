import { type PbxContactFields } from '../../shared/pbx/ports/PbxContact';
import { type PbxNewUser } from '../../shared/pbx/ports/PbxNewUser';

/** A phonebook contact with every field filled, so a test sees each one mapped (unit and sandbox tests alike). */
export const GRACE_HOPPER: PbxContactFields = {
  displayName: 'Grace Hopper',
  givenName: 'Grace',
  surname: 'Hopper',
  company: 'Navy',
  jobTitle: 'Rear Admiral',
  email: 'grace@navy.example',
  businessPhone: '+12025550100',
  businessPhone2: '+12025550103',
  mobilePhone: '+12025550101',
  homePhone: '+12025550102',
  homePhone2: '',
  address: '',
  notes: '',
};

/** GRACE_HOPPER as a 3CX Pbx.Contact holds her (no Id): what the adapter must send, and what XAPI lists back. */
export const GRACE_HOPPER_XAPI = {
  FirstName: 'Grace',
  LastName: 'Hopper',
  CompanyName: 'Navy',
  Title: 'Rear Admiral',
  Email: 'grace@navy.example',
  Business: '+12025550100',
  Business2: '+12025550103',
  PhoneNumber: '+12025550101',
  Home: '+12025550102',
};

/** A new 3CX user with every field the port has filled (3CX ignores `userName` and `workPhone`/`department`). */
export function newAdaLovelace(extensionNumber: string, extra: Partial<PbxNewUser> = {}): PbxNewUser {
  return {
    userName: 'ignored-by-3cx',
    extensionNumber,
    displayName: 'Ada Lovelace',
    givenName: 'Ada',
    surname: 'Lovelace',
    email: 'ada@contoso.com',
    mobilePhone: '+14255550100',
    workPhone: '+14255550199',
    department: 'Sales',
    enabled: true,
    ...extra,
  };
}
