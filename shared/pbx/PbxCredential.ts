/**
 * The service account the connector signs in with, as read from the tenant's Key Vault secret. PortSIP: a
 * tenant admin's portal user name and password. A 3CX adapter would read its API client id and secret here.
 */
export interface PbxCredential {
  username: string;
  password: string;
}
