import { describe, expect, it } from 'vitest';
import { type GraphUser } from '../../../../shared/graph/GraphUser';
import { outboundCallerIdFor, toE164 } from '../../../../shared/features/users/outboundCallerIdFor';
import { type OutboundCallerIdOptions } from '../../../../shared/features/users/usersOptions';

const US: OutboundCallerIdOptions = { property: 'businessPhones', providerId: 'trunk-1', defaultCountry: 'US' };
const user = (patch: Partial<GraphUser>): GraphUser => ({ id: 'u1', displayName: 'Ann Lee', ...patch });

describe('toE164', () => {
  it.each([
    ['+1 (425) 555-0100', 'US', '+14255550100'],
    ['425.555.0100', 'US', '+14255550100'],
    ['(425) 555 0100', 'US', '+14255550100'],
    ['0049 30 1234567', 'DE', '+49301234567'],
    ['030 1234567', 'DE', '+49301234567'],
    ['+49 (0)30 1234567', 'US', '+49301234567'],
    ['+44 20 7946 0958 ext. 12', 'US', '+442079460958'],
    ['+1 425 555 0100 x123', 'US', '+14255550100'],
    ['tel:+1-425-555-0100', 'DE', '+14255550100'],
    ['  +1 425 555 0100  ', 'US', '+14255550100'],
  ])('%s (default %s) → %s', (raw, country, e164) => {
    expect(toE164(raw, country)).toEqual({ e164 });
  });

  it.each([
    ['call reception', 'US', 'contains letters'],
    ['1-800-FLOWERS', 'US', 'contains letters'],
    ['+1 425 555 0100 (office)', 'US', 'contains letters'],
    ['123', 'US', 'is not a valid phone number'],
    ['+1 555', 'US', 'is not a valid phone number'],
    ['030 1234567', 'US', 'is not a valid phone number'], // a German number read as American
    ['0049 30 1234567', 'US', 'is not a valid phone number'],
    ['+', 'US', 'is not a phone number'],
    ['---', 'US', 'is not a phone number'],
  ])('%s (default %s) is refused: %s', (raw, country, reason) => {
    const result = toE164(raw, country);
    expect(result).toHaveProperty('reason');
    expect((result as { reason: string }).reason).toContain(reason);
  });
});

describe('outboundCallerIdFor', () => {
  it('is none when the option is off, whatever the user has', () => {
    expect(outboundCallerIdFor(user({ businessPhones: ['+1 425 555 0100'] }), undefined)).toEqual({ kind: 'none' });
  });

  it('takes the first non-empty business phone', () => {
    expect(outboundCallerIdFor(user({ businessPhones: ['', '  ', '425.555.0100', '+1 206 555 0199'] }), US)).toEqual({
      kind: 'set',
      value: { providerId: 'trunk-1', callerId: '+14255550100' },
    });
  });

  it('reads the mobile phone or an extension attribute when the option names them', () => {
    const u = user({
      businessPhones: ['+1 425 555 0100'],
      mobilePhone: '030 1234567',
      onPremisesExtensionAttributes: { extensionAttribute7: '0049 40 1234567' },
    });
    expect(outboundCallerIdFor(u, { ...US, property: 'mobilePhone', defaultCountry: 'DE' })).toEqual({
      kind: 'set',
      value: { providerId: 'trunk-1', callerId: '+49301234567' },
    });
    expect(outboundCallerIdFor(u, { ...US, property: 'extensionAttribute7', defaultCountry: 'DE' })).toEqual({
      kind: 'set',
      value: { providerId: 'trunk-1', callerId: '+49401234567' },
    });
  });

  it('is none for an empty or missing property (no caller ID, no notice)', () => {
    expect(outboundCallerIdFor(user({ businessPhones: [] }), US)).toEqual({ kind: 'none' });
    expect(outboundCallerIdFor(user({ businessPhones: ['   '] }), US)).toEqual({ kind: 'none' });
    expect(outboundCallerIdFor(user({}), { ...US, property: 'mobilePhone' })).toEqual({ kind: 'none' });
    expect(outboundCallerIdFor(user({ onPremisesExtensionAttributes: null }), { ...US, property: 'extensionAttribute1' })).toEqual({
      kind: 'none',
    });
  });

  it('says why an unusable number is skipped, naming the property and the value', () => {
    const result = outboundCallerIdFor(user({ businessPhones: ['+1 555'] }), US);
    expect(result.kind).toBe('invalid');
    expect(result).toMatchObject({ raw: '+1 555' });
    expect((result as { reason: string }).reason).toMatch(/^businessPhones "\+1 555" is not a valid phone number.*no outbound caller ID/);
  });
});
