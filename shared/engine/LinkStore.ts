import { type PbxUserFields } from '../pbx/ports/PbxClient';

/**
 * Entra user ↔ PBX user. A link is what makes a PBX user "managed": the connector never touches a PBX user
 * without one. `creating` is written before the PBX create (write-ahead) so a crash between the create and
 * the link write is recognised on replay by the reserved extension number and account name.
 */
export interface UserLink {
  tenantId: string;
  objectId: string;
  state: 'creating' | 'active';
  origin: 'created' | 'adopted';
  pbxUserId?: string | undefined;
  pbxUserName: string;
  extensionNumber: string;
  /** The fields last written to the PBX (what the PBX holds, as far as we know). */
  fields?: PbxUserFields | undefined;
  /** Hash of `fields`: equal hash ⇒ no PBX write. */
  hash?: string | undefined;
  boundToMicrosoft365: boolean;
  updatedAt: string;
}

/** Port: user links (Table Storage, partitioned by tenant). */
export interface LinkStore {
  listByTenant(tenantId: string): Promise<UserLink[]>;
  get(tenantId: string, objectId: string): Promise<UserLink | null>;
  upsert(link: UserLink): Promise<void>;
  /** Idempotent: deleting a missing link is not an error. */
  delete(tenantId: string, objectId: string): Promise<void>;
  deleteAllForTenant(tenantId: string): Promise<void>;
}
