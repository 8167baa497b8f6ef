import { isJsonObject, parseBody } from './parseBody';
import { pinProblem } from './passwordRules';
import { validationFailed } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { IMMUTABLE_USER_FIELDS, UpdateUserBody } from './userBodies';
import { type UserRecord } from './UserDirectory';
import { USER_SETTING_NAMES } from './userSettings';

const CLEARABLE = ['mobile_phone', 'work_phone', 'home_phone', 'address', 'department'] as const;

/**
 * POST /api/users/{id} as a merge: a field left out stays as it is, "" or null clears it. ⚠ Whether PortSIP
 * merges or replaces is undocumented (reference/portsip.md §10.7); merging is what its optional fields suggest.
 * Immutable fields are refused rather than ignored, so a client that expects to change them learns it can't.
 */
export function updateUser(tenant: PbxTenant, record: UserRecord, body: unknown): void {
  if (isJsonObject(body)) {
    const immutable = IMMUTABLE_USER_FIELDS.find((field) => field in body);
    if (immutable) throw validationFailed(immutable, `${immutable} cannot be changed by updating the user`);
  }
  const b = parseBody(UpdateUserBody, body);
  if (b.voicemail_pin !== undefined) {
    const problem = b.voicemail_pin ? pinProblem(b.voicemail_pin) : 'is required';
    if (problem) throw validationFailed('voicemail_pin', problem);
  }
  tenant.providers.checkCallerIds(b.outbound_caller_ids);
  // Everything is checked before anything changes: a refused update leaves the user as it was.
  const { user } = record;
  if (b.email !== undefined) tenant.users.changeEmail(record, b.email);
  if (b.display_name !== undefined) user.display_name = b.display_name;
  if (b.enabled !== undefined) user.enabled = b.enabled;
  for (const field of CLEARABLE) if (b[field] !== undefined) user[field] = b[field] || null;
  for (const name of USER_SETTING_NAMES) if (name in b && name !== 'enable_dnd') record.settings = { ...record.settings, [name]: b[name] };
  // The DND switch is presence state: counted apart and subject to the lost-write fault (UserPresences).
  if ('enable_dnd' in b) tenant.presences.writeDnd(record, b.enable_dnd ?? null);
}
