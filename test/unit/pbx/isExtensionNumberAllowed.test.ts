import { describe, expect, it } from 'vitest';
import { isExtensionNumberAllowed } from '../../../shared/pbx/ports/isExtensionNumberAllowed';
import { portSipProfile } from '../../../shared/pbx/portsip/portSipProfile';

const rule = portSipProfile.extensionNumbers;

describe('isExtensionNumberAllowed', () => {
  it('takes PortSIP numbers of 3 to 64 digits, leading zeros included', () => {
    expect(isExtensionNumberAllowed('100', rule)).toBe(true);
    expect(isExtensionNumberAllowed('0100', rule)).toBe(true);
    expect(isExtensionNumberAllowed('1'.repeat(64), rule)).toBe(true);
  });

  it('refuses too short, too long and anything but digits', () => {
    expect(isExtensionNumberAllowed('99', rule)).toBe(false);
    expect(isExtensionNumberAllowed('1'.repeat(65), rule)).toBe(false);
    expect(isExtensionNumberAllowed('10a1', rule)).toBe(false);
    expect(isExtensionNumberAllowed('+1001', rule)).toBe(false);
    expect(isExtensionNumberAllowed('', rule)).toBe(false);
  });

  it('refuses a leading zero where the product does', () => {
    expect(isExtensionNumberAllowed('0100', { ...rule, leadingZerosAllowed: false })).toBe(false);
    expect(isExtensionNumberAllowed('1000', { ...rule, leadingZerosAllowed: false })).toBe(true);
  });
});
