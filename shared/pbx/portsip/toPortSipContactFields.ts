import { AppError } from '../../core/errors/AppError';
import { type PbxContactFields } from '../ports/PbxContact';
import { portSipProfile } from './portSipProfile';

/** PortSIP's limits on a contact, from its profile (reference/portsip.md §4: name 1–64, notes 1,024, the rest 128). */
const { name: NAME_MAX, text: TEXT_MAX, address: ADDRESS_MAX, notes: NOTES_MAX } = portSipProfile.contactLimits;
const LIMITS = {
  company: TEXT_MAX,
  title: TEXT_MAX,
  business: TEXT_MAX,
  business2: TEXT_MAX,
  mobile_phone: TEXT_MAX,
  home_phone: TEXT_MAX,
  home_phone2: TEXT_MAX,
  address: ADDRESS_MAX,
  notes: NOTES_MAX,
};
type ClippedField = keyof typeof LIMITS;

const FIELD_OF: Record<ClippedField, keyof PbxContactFields> = {
  company: 'company',
  title: 'jobTitle',
  business: 'businessPhone',
  business2: 'businessPhone2',
  mobile_phone: 'mobilePhone',
  home_phone: 'homePhone',
  home_phone2: 'homePhone2',
  address: 'address',
  notes: 'notes',
};

/** Trimmed and cut to `max` UTF-16 units (what a JSON string length counts) without splitting a character. */
function clip(value: string, max: number): string {
  let out = '';
  for (const char of value.trim()) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
}

/**
 * The PortSIP body for the given contact fields ('' = cleared, sent as ""). PortSIP has one `name`: the display
 * name, else "given surname", cut to 64; it is written only when the write carries `displayName` (given name
 * and surname alone cannot say what the name was built from). Long values are cut to PortSIP's limits so a
 * long Entra value still syncs; an e-mail address over 128 characters is refused instead (a cut one is wrong).
 */
export function toPortSipContactFields(fields: Partial<PbxContactFields>, what: string): Record<string, string> {
  const body: Record<string, string> = {};
  if (fields.displayName !== undefined) {
    const whole =
      fields.displayName.trim() ||
      [fields.givenName ?? '', fields.surname ?? '']
        .map((part) => part.trim())
        .filter(Boolean)
        .join(' ');
    const name = clip(whole, NAME_MAX);
    if (name === '')
      throw new AppError('INVALID', `${what}: a PortSIP contact needs a name (a display name, or a given name or surname)`, {
        details: { field: 'name' },
      });
    body.name = name;
  }
  if (fields.email !== undefined) {
    const email = fields.email.trim();
    if (email.length > TEXT_MAX)
      throw new AppError('INVALID', `${what}: the e-mail address has ${email.length} characters; PortSIP takes at most ${TEXT_MAX}`, {
        details: { field: 'email' },
      });
    body.email = email;
  }
  for (const field of Object.keys(LIMITS) as ClippedField[]) {
    const value = fields[FIELD_OF[field]];
    if (value !== undefined) body[field] = clip(value, LIMITS[field]);
  }
  return body;
}
