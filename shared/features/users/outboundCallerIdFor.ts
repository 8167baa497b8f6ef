import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { type GraphUser } from '../../graph/GraphUser';
import { type PbxCallerId } from '../../pbx/ports/PbxCallerId';
import { type OutboundCallerIdOptions } from './usersOptions';

/**
 * What the option makes of one user: no caller ID (option off, or the property is empty), a caller ID, or a
 * number that cannot be one (the user still syncs, without it, and the run says why).
 */
export type OutboundCallerIdResult =
  { kind: 'none' } | { kind: 'set'; value: PbxCallerId } | { kind: 'invalid'; raw: string; reason: string };

/** The raw value of the chosen property: the first non-empty business phone, the mobile phone or an extension attribute. */
export function callerIdSource(user: GraphUser, property: string): string {
  let raw: string | null | undefined;
  if (property === 'businessPhones') raw = user.businessPhones?.find((p) => p.trim() !== '');
  else if (property === 'mobilePhone') raw = user.mobilePhone;
  else raw = (user.onPremisesExtensionAttributes as Record<string, string | null | undefined> | null | undefined)?.[property];
  return (raw ?? '').trim();
}

/**
 * Normalises a phone number as people type it ("+1 (425) 555-0100", "030 1234567", "+44 20 7946 0958 ext. 12")
 * to E.164, or says why it cannot. A number without a country code is read as `defaultCountry`'s; an extension
 * ("ext. 12", "x123") is dropped, since a caller ID is the line number. Validity is libphonenumber's full
 * metadata (length and number ranges of the country), so "+1 555" or "1-800-FLOWERS" are refused.
 */
export function toE164(raw: string, defaultCountry: string): { e164: string } | { reason: string } {
  const text = raw.trim().replace(/^tel:/i, '');
  if (/[a-z]/i.test(text.replace(/\b(ext|extension|x)\.?\s*\d+\s*$/i, ''))) return { reason: 'contains letters' };
  // The whole value must be the number (no extracting one from a sentence).
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: defaultCountry as CountryCode, extract: false });
  if (!parsed) return { reason: 'is not a phone number' };
  if (!parsed.isValid()) return { reason: `is not a valid phone number (read as ${parsed.number})` };
  return { e164: parsed.number };
}

/** The user's outbound caller ID under the option (pure). */
export function outboundCallerIdFor(user: GraphUser, options: OutboundCallerIdOptions | undefined): OutboundCallerIdResult {
  if (!options) return { kind: 'none' };
  const raw = callerIdSource(user, options.property);
  if (raw === '') return { kind: 'none' };
  const normalised = toE164(raw, options.defaultCountry);
  if ('reason' in normalised) {
    const reason = `${options.property} "${raw.slice(0, 64)}" ${normalised.reason}; no outbound caller ID is set for this user`;
    return { kind: 'invalid', raw, reason };
  }
  return { kind: 'set', value: { providerId: options.providerId, callerId: normalised.e164 } };
}
