import { type UserRecord } from './UserDirectory';
import { settingsForDisplay } from './userSettings';

// Only the user sets their photo (`POST /api/user`, reference/portsip.md §2); blank until they do. The URL is
// the unauthenticated download by digest (⚠ the spec's example URL looks like an opaque id rather than a digest).
const avatarFields = ({ avatar }: UserRecord) => ({
  avatar_file_name: avatar?.fileName ?? null,
  avatar_file_size: avatar?.size ?? null,
  avatar_file_url: avatar ? `/api/blobs/sha256:${avatar.digest}` : null,
});

/** An item of GET /api/users: the spec's summary representation. */
export function userSummary(record: UserRecord): Record<string, unknown> {
  const { user } = record;
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
    ...avatarFields(record),
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
