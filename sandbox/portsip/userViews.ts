import { type UserRecord } from './UserDirectory';
import { settingsForDisplay } from './userSettings';

// No admin endpoint sets a user's photo (reference/portsip.md §2), so the avatar fields are always blank.
const NO_AVATAR = { avatar_file_name: null, avatar_file_size: null, avatar_file_url: null };

/** An item of GET /api/users: the spec's summary representation. */
export function userSummary({ user }: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    enabled: user.enabled,
    email: user.email,
    display_name: user.display_name,
    role: user.role,
    mobile_phone: user.mobile_phone,
    work_phone: user.work_phone,
    home_phone: user.home_phone,
    address: user.address,
    department: user.department,
    extension_number: user.extension_number,
    created_at: user.created_at,
    ...NO_AVATAR,
    sync_type: user.sync_type,
  };
}

/**
 * GET /api/users/{id}: every create field, plus what the PBX adds. Like PortSIP v22.3+, that includes the portal
 * `password` and the SIP `extension_password` (null for a user made without them); the list view never has them.
 */
export function userDetail(record: UserRecord): Record<string, unknown> {
  return {
    ...userSummary(record),
    ...settingsForDisplay(record.settings),
    password: record.passwords?.password ?? null,
    extension_password: record.passwords?.extension_password ?? null,
    profile: null,
  };
}
