import { type PbxProfile } from '../ports/PbxProfile';

/**
 * PortSIP v22's rules (docs/PORTSIP.md; docs/PBX-PORTS.md says where each value comes from). The limits are
 * v22.6's, which also fit older v22 releases (display_name allowed 1,024 before v22.6).
 */
export const portSipProfile: PbxProfile = {
  kind: 'portsip',
  productName: 'PortSIP PBX v22',
  fieldLimits: { displayName: 128, mobilePhone: 32, workPhone: 32, department: 128 },
  // `email` is required on create and at most 128 characters.
  email: { required: true, maxLength: 128 },
  requiresGivenNameOrSurname: true,
  splitNames: false,
  // The spec's pattern is [0-9]{3,64}: leading zeros are not excluded (⚠ not tried on a live PBX).
  extensionNumbers: { minLength: 3, maxLength: 64, leadingZerosAllowed: true, immutable: true },
  // `name`: 1–64 of A-Z a-z 0-9 _ - ' . (not starting or ending with a dot), fixed after creation.
  accountNames: { maxLength: 64, reserved: ['admin', 'system', 'administrator', 'root'] },
  // An admin may set another user's `enable_dnd`, but `POST /api/user/presence` only sets the caller's own.
  adminCanWritePresence: 'dndOnly',
  // Personal contacts (`/api/user/contacts`) and the avatar (`POST /api/user`) exist for the signed-in user only.
  adminCanWritePersonalContacts: false,
  adminCanSetAvatar: false,
  // `POST /api/groups`: name 1–64 characters.
  groupNameMaxLength: 64,
  // Contacts: `name` 1–64, `notes` ≤ 1,024, every other field (address included) ≤ 128.
  contactLimits: { name: 64, text: 128, address: 128, notes: 1024 },
  // Extension groups, company contacts, per-user contacts and presence, webhooks and WSI for call events.
  supports: { groups: true, companyContacts: true, personalContacts: true, presence: true, callEvents: true, avatars: true },
};
