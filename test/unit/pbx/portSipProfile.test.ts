import { describe, expect, it } from 'vitest';
import { desiredPbxFields } from '../../../shared/features/users/desiredPbxFields';
import { usableEmail } from '../../../shared/features/users/usableEmail';
import { type GraphUser } from '../../../shared/graph/GraphUser';
import { portSipProfile } from '../../../shared/pbx/portsip/PortSipClient';

const long = (n: number) => 'x'.repeat(n);

describe('portSipProfile', () => {
  it('holds PortSIP v22 rules: field limits, the e-mail rule, the number rule and what a tenant admin may do', () => {
    expect(portSipProfile).toEqual({
      kind: 'portsip',
      productName: 'PortSIP PBX v22',
      fieldLimits: { displayName: 128, mobilePhone: 32, workPhone: 32, department: 128 },
      email: { required: true, maxLength: 128 },
      requiresGivenNameOrSurname: true,
      splitNames: false,
      extensionNumbers: { minLength: 3, maxLength: 64, leadingZerosAllowed: true, immutable: true },
      accountNames: { maxLength: 64, reserved: ['admin', 'system', 'administrator', 'root'] },
      adminCanWritePresence: 'dndOnly',
      adminCanWritePersonalContacts: false,
      adminCanSetAvatar: false,
      groupNameMaxLength: 64,
      contactLimits: { name: 64, text: 128, address: 128, notes: 1024 },
      supports: { groups: true, companyContacts: true, personalContacts: true, presence: true, callEvents: true, avatars: true },
    });
  });

  it('is what the users feature applies: fields cut to its limits, a longer address unusable', () => {
    const user = {
      id: 'u1',
      displayName: long(500),
      givenName: 'A',
      surname: 'B',
      mail: 'a@contoso.com',
      mobilePhone: long(500),
      businessPhones: [long(500)],
      department: long(500),
    } as GraphUser;
    const fields = desiredPbxFields(user, portSipProfile);
    expect(fields.displayName).toHaveLength(portSipProfile.fieldLimits.displayName);
    expect(fields.mobilePhone).toHaveLength(portSipProfile.fieldLimits.mobilePhone);
    expect(fields.workPhone).toHaveLength(portSipProfile.fieldLimits.workPhone);
    expect(fields.department).toHaveLength(portSipProfile.fieldLimits.department);

    const at = (length: number) => `${long(length - '@contoso.com'.length)}@contoso.com`;
    const max = portSipProfile.email.maxLength;
    expect(usableEmail({ id: 'u2', mail: at(max) }, portSipProfile.email)).toBe(at(max));
    expect(usableEmail({ id: 'u3', mail: at(max + 1) }, portSipProfile.email)).toBeUndefined();
  });
});
