/**
 * The service account the connector signs in with, as read from the tenant's own secret (tenant-<id>-pbx).
 * PortSIP: a tenant admin's portal user name and password. A 3CX adapter would read its API client id and
 * secret here. `origin` is the scheme://host[:port] it was written for: the adapter sends it nowhere else.
 */
export interface PbxCredential {
  username: string;
  password: string;
  origin: string;
}
