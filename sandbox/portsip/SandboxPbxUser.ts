/** An extension (PortSIP user) as the sandbox's own API shows it to tests: the spec's fields plus its binding. */
export interface SandboxPbxUser {
  id: string;
  name: string;
  email: string;
  display_name: string;
  enabled: boolean;
  role: string;
  extension_number: string;
  mobile_phone: string | null;
  work_phone: string | null;
  home_phone: string | null;
  address: string | null;
  department: string | null;
  created_at: string;
  /** Set by `POST /api/users/{id}/ms365_binding`; PortSIP never returns it over REST. */
  ms365_binding: string | null;
  /** "Microsoft 365" when PortSIP's own M365 sync made the user; the sandbox never sets it by itself. */
  sync_type: string | null;
}

export function copyPbxUser(user: SandboxPbxUser): SandboxPbxUser {
  return { ...user };
}
