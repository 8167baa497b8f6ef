import { parseBody } from './parseBody';
import { passwordProblem, pinProblem } from './passwordRules';
import { PbxError, validationFailed } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { rfc3339Now } from './rfc3339Now';
import { CreateUserBody } from './userBodies';
import { UserSettingsSchema } from './userSettings';

const blankToNull = (value: string | null | undefined): string | null => (value ? value : null);

/** Checks a POST /api/users body against the spec's and the tenant's rules, stores the user, returns its id. */
export function createUser(tenant: PbxTenant, body: unknown): string {
  const b = parseBody(CreateUserBody, body);
  if (tenant.isReservedName(b.name)) throw validationFailed('name', `the name ${b.name} is reserved`);
  if (tenant.nameTaken(b.name)) throw validationFailed('name', `the name ${b.name} is already in use`);
  const owner = tenant.numberOwner(b.extension_number);
  if (owner)
    throw new PbxError(400, 'VALIDATE_FAILED', `extension_number: the extension number ${b.extension_number} is already in use`, {
      field: 'extension_number',
      type: owner.type,
    });
  if (!tenant.roleExists(b.role)) throw validationFailed('role', `the role ${b.role} does not exist`);
  for (const field of ['password', 'extension_password'] as const) {
    const problem = passwordProblem(b[field], tenant.passwordPolicy, b.name);
    if (problem) throw validationFailed(field, problem);
  }
  const pin = pinProblem(b.voicemail_pin);
  if (pin) throw validationFailed('voicemail_pin', pin);
  tenant.providers.checkCallerIds(b.outbound_caller_ids);

  const id = tenant.ids.next();
  tenant.users.add({
    user: {
      id,
      name: b.name,
      email: b.email,
      display_name: b.display_name,
      enabled: b.enabled ?? true,
      role: b.role,
      extension_number: b.extension_number,
      mobile_phone: blankToNull(b.mobile_phone),
      work_phone: blankToNull(b.work_phone),
      home_phone: blankToNull(b.home_phone),
      address: blankToNull(b.address),
      department: blankToNull(b.department),
      created_at: rfc3339Now(),
      ms365_binding: null,
      sync_type: null,
    },
    settings: UserSettingsSchema.parse(b),
    // The portal password is what the user signs in with; PortSIP v22.3+ also shows both in GET /api/users/{id}.
    passwords: { password: b.password, extension_password: b.extension_password },
  });
  return id;
}
