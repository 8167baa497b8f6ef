import { describe, expect, it } from 'vitest';
import { isExtensionNumberAllowed } from '../../../../shared/pbx/ports/isExtensionNumberAllowed';
import { threeCxProfile } from '../../../../shared/pbx/threecx/threeCxProfile';

describe('threeCxProfile', () => {
  it("fixes the number length to the PBX's ENL (default 3) and splits names", () => {
    expect(threeCxProfile().extensionNumbers).toEqual({ minLength: 3, maxLength: 3, leadingZerosAllowed: false, immutable: true });
    const four = threeCxProfile(4);
    expect(isExtensionNumberAllowed('1001', four.extensionNumbers)).toBe(true);
    expect(isExtensionNumberAllowed('101', four.extensionNumbers)).toBe(false);
    expect(four).toMatchObject({ kind: '3cx', productName: '3CX V20', splitNames: true, requiresGivenNameOrSurname: false });
    expect(four.supports).toEqual({
      groups: false,
      companyContacts: true,
      personalContacts: false,
      presence: false,
      callEvents: false,
      avatars: false,
    });
  });
});
