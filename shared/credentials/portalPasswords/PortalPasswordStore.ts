import { type KeptPortalPassword, type PortalPasswords } from '../../pbx/ports/PortalPasswords';

/** What a data-key rotation of one tenant did. */
export interface DataKeyRotation {
  /** The version every password is encrypted with now. */
  version: number;
  reencrypted: number;
  /** Older versions deleted once no password used them. */
  droppedVersions: number[];
}

/** Port: every tenant's kept portal passwords (PortalPasswords per tenant), and what spans a whole tenant. */
export interface PortalPasswordStore {
  forTenant(tenantId: string): PortalPasswords;
  /** Whose passwords a tenant keeps (login names in lower case) and what the PBX said of them; nothing is decrypted. */
  listKept(tenantId: string): Promise<{ userName: string; refused?: KeptPortalPassword['refused'] }[]>;
  /** The tenant was deleted: its passwords and its data keys go. Idempotent. */
  deleteAllForTenant(tenantId: string): Promise<void>;
  /**
   * A new data key version for the tenant, every password re-encrypted with it, then the old versions deleted.
   * Run it under the tenant's directory writer lease, so no run writes with the old version meanwhile.
   */
  rotateTenantDataKey(tenantId: string): Promise<DataKeyRotation>;
}
