import { type SandboxPbxUser } from './SandboxPbxUser';

/**
 * A user as `GET /_sandbox/users` shows it: named fields only, so no secret can leak in later. The sandbox
 * checks passwords, SIP passwords and voicemail PINs but never shows them, here or anywhere.
 */
export function sandboxUserView(user: SandboxPbxUser): Record<string, unknown> {
  return {
    id: user.id,
    extension_number: user.extension_number,
    name: user.name,
    display_name: user.display_name,
    email: user.email,
    mobile_phone: user.mobile_phone,
    work_phone: user.work_phone,
    department: user.department,
    enabled: user.enabled,
    role: user.role,
    ms365_binding: user.ms365_binding,
    sync_type: user.sync_type,
    created_at: user.created_at,
  };
}
