import { type PbxProfile } from '../ports/PbxProfile';

/** The extension length assumed until the readiness probe has read the PBX's own (3CX's default is 3). */
export const DEFAULT_THREECX_EXTENSION_LENGTH = 3;

/**
 * 3CX V20's rules for a PBX whose extension numbers have `extensionLength` digits (`ENL`, read by the readiness
 * probe). XAPI's OpenAPI marks no field required and gives no length limits, so every limit below is chosen
 * generously and marked ⚠ until tried on a licensed PBX (docs: the 3CX checklist).
 */
export function threeCxProfile(extensionLength: number = DEFAULT_THREECX_EXTENSION_LENGTH): PbxProfile {
  return {
    kind: '3cx',
    productName: '3CX V20',
    // ⚠ No documented limits; 255 is the common column size for 3CX's text fields. workPhone and department have
    // no 3CX user field at all (the adapter ignores them), so their limits only bound what is compared.
    fieldLimits: { displayName: 255, mobilePhone: 64, workPhone: 64, department: 255 },
    // ⚠ An e-mail is optional on 3CX users (TUT creates a user from `{}`); 255 is a guess (RFC 5321 allows 254).
    email: { required: false, maxLength: 255 },
    // 3CX stores a user with no first or last name (and the adapter then puts the display name in FirstName), and
    // the PortSIP rule only mirrored PortSIP's own Microsoft 365 import; so a user named by display name alone syncs.
    requiresGivenNameOrSurname: false,
    // FirstName and LastName are fields of their own on 3CX users and contacts.
    splitNames: true,
    // ENL fixes the length; a number cannot change (TUT expects a PATCH of Number to be refused).
    // ⚠ Leading zeros: refused here because 3CX's default dial plan uses a leading 0 for outside lines.
    extensionNumbers: { minLength: extensionLength, maxLength: extensionLength, leadingZerosAllowed: false, immutable: true },
    // 3CX has no login name beside the number: the extension number is the account (PbxUser.userName = Number),
    // so the name the planner derives is never sent and nothing is reserved.
    accountNames: { maxLength: 64, reserved: [] },
    // ⚠ Departments (3CX's groups) have no documented name limit.
    groupNameMaxLength: 64,
    // XAPI documents no contact lengths (⚠ unverified); 3CX's UI takes these. Address and notes have no field.
    contactLimits: { name: 128, text: 255, address: 255, notes: 1024 },
    // ⚠ `PATCH /Users({Id}) {"CurrentProfileName"}` on another user is unverified (notes §4); no presence port yet.
    adminCanWritePresence: 'full',
    // XAPI has no read, create or update of personal contacts, and no photo upload.
    adminCanWritePersonalContacts: false,
    adminCanSetAvatar: false,
    // groups: 3CX's groups are departments, which carry routing, office hours and (multi-company) licences, so
    // mapping Microsoft 365 groups onto them is a product decision not yet taken. presence: 3CX's status is the
    // forwarding profile, and whether an admin may set another user's is unverified (⚠, notes §4). callEvents:
    // 3CX has no webhooks, only the Call Control WebSocket, which a Functions app cannot hold open.
    supports: { groups: false, companyContacts: true, personalContacts: false, presence: false, callEvents: false, avatars: false },
  };
}
