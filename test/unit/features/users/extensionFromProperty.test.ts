import { describe, expect, it } from 'vitest';
import { extensionFromProperty } from '../../../../shared/features/users/extensionFromProperty';
import { PbxDirectory } from '../../../../shared/features/users/PbxDirectory';
import { planUserChanges } from '../../../../shared/features/users/planUserChanges';
import { UserSyncOptionsSchema } from '../../../../shared/features/users/usersOptions';
import { type GraphUser } from '../../../../shared/graph/GraphUser';
import { portSipProfile } from '../../../../shared/pbx/portsip/portSipProfile';
import { annUser } from '../../../support/usersPlanning';
import { type PbxProfile } from '../../../../shared/pbx/ports/PbxProfile';

const user = annUser;

const phone = (p: string) => user('1', { businessPhones: [p] });
const attribute = (value: string) => user('1', { onPremisesExtensionAttributes: { extensionAttribute1: value } });
const portSip = portSipProfile.extensionNumbers;
/** A product that refuses leading zeros (as 3CX may, depending on its configuration). */
const noZeros: PbxProfile = { ...portSipProfile, extensionNumbers: { ...portSip, leadingZerosAllowed: false } };

describe('extensionFromProperty (fromProperty numbering)', () => {
  it('keeps a leading zero the last digits give: "+1 425 555 0101" with lastDigits 4 is "0101" on PortSIP', () => {
    expect(extensionFromProperty(phone('+1 425 555 0101'), 'businessPhones', 4, portSip)).toBe('0101');
    expect(extensionFromProperty(attribute('0042'), 'extensionAttribute1', undefined, portSip)).toBe('0042');
  });

  it('accepts the shortest all-zero number "000" where the product allows leading zeros, refuses it where not', () => {
    expect(extensionFromProperty(attribute('000'), 'extensionAttribute1', undefined, portSip)).toBe('000');
    expect(extensionFromProperty(phone('+1 425 555 1000'), 'businessPhones', 3, portSip)).toBe('000');
    expect(extensionFromProperty(attribute('000'), 'extensionAttribute1', undefined, noZeros.extensionNumbers)).toBeUndefined();
    expect(extensionFromProperty(phone('+1 425 555 0101'), 'businessPhones', 4, noZeros.extensionNumbers)).toBeUndefined();
    expect(extensionFromProperty(phone('+1 425 555 4321'), 'businessPhones', 4, noZeros.extensionNumbers)).toBe('4321');
  });

  it('takes 3 to 13 digits: 2 and 14 digits are refused even where the product takes up to 64', () => {
    expect(extensionFromProperty(attribute('12'), 'extensionAttribute1', undefined, portSip)).toBeUndefined();
    expect(extensionFromProperty(attribute('1234567890123'), 'extensionAttribute1', undefined, portSip)).toBe('1234567890123');
    expect(extensionFromProperty(attribute('0234567890123'), 'extensionAttribute1', undefined, portSip)).toBe('0234567890123');
    expect(extensionFromProperty(attribute('12345678901234'), 'extensionAttribute1', undefined, portSip)).toBeUndefined();
    expect(extensionFromProperty(attribute('01234567890123'), 'extensionAttribute1', undefined, portSip)).toBeUndefined();
    expect(extensionFromProperty(attribute(''), 'extensionAttribute1', undefined, portSip)).toBeUndefined();
  });

  it('stays within a product rule narrower than 3-13', () => {
    const fourToSix = { ...portSip, minLength: 4, maxLength: 6 };
    expect(extensionFromProperty(attribute('123'), 'extensionAttribute1', undefined, fourToSix)).toBeUndefined();
    expect(extensionFromProperty(attribute('0123'), 'extensionAttribute1', undefined, fourToSix)).toBe('0123');
    expect(extensionFromProperty(attribute('1234567'), 'extensionAttribute1', undefined, fourToSix)).toBeUndefined();
  });
});

describe('planUserChanges with fromProperty numbering and leading zeros', () => {
  const options = (lastDigits?: number) =>
    UserSyncOptionsSchema.parse({
      numbering: { mode: 'fromProperty', property: 'businessPhones', ...(lastDigits === undefined ? {} : { lastDigits }) },
    });
  const plan = (users: GraphUser[], profile: PbxProfile = portSipProfile, lastDigits?: number) =>
    planUserChanges({
      users,
      removed: [],
      links: new Map(),
      options: options(lastDigits),
      profile,
      directory: new PbxDirectory(profile, [], [], new Set()),
    });

  it('creates "0101" from "+1 425 555 0101" with lastDigits 4 (it used to be skipped as no usable number)', () => {
    const p = plan([phone('+1 425 555 0101')], portSipProfile, 4);
    expect(p.actions).toEqual([expect.objectContaining({ kind: 'create', user: expect.objectContaining({ extensionNumber: '0101' }) })]);
  });

  it('"0101" and "101" are different numbers: both are created, neither collides', () => {
    const p = plan([user('1', { businessPhones: ['0101'] }), user('2', { businessPhones: ['101'] })]);
    expect(p.actions.map((a) => (a.kind === 'create' ? a.user.extensionNumber : a.kind))).toEqual(['0101', '101']);
  });

  it('skips 14 digits with a message naming the 3-13 rule, and names the leading-zero rule only where the product has it', () => {
    const long = plan([phone('+49 1234 5678 9012')]); // 14 digits
    expect(long.actions[0]).toMatchObject({
      kind: 'skip',
      code: 'noExtensionNumber',
      message: 'businessPhones holds no usable extension number (3-13 digits)',
    });
    const zero = plan([phone('+1 425 555 0101')], noZeros, 4);
    expect(zero.actions[0]).toMatchObject({
      kind: 'skip',
      code: 'noExtensionNumber',
      message: 'businessPhones holds no usable extension number (3-13 digits, no leading zero)',
    });
  });

  it('fromStart keeps refusing a leading zero (a counter)', () => {
    expect(UserSyncOptionsSchema.safeParse({ numbering: { mode: 'fromStart', start: '0100' } }).success).toBe(false);
    expect(UserSyncOptionsSchema.safeParse({ numbering: { mode: 'fromStart', start: '100' } }).success).toBe(true);
  });
});
