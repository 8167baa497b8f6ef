import { type PbxContactFields } from '../pbx/ports/PbxContact';

/**
 * Outlook contact ↔ PBX contact, within one source folder. PBX contacts carry no external id, so the link
 * is all that makes a PBX contact the connector's: contacts people made on the PBX have none and are never
 * touched. `creating` is written before the PBX create (write-ahead) with the fields about to be written, so
 * a crash between the create and the link's `active` write is recognised on replay by those exact fields.
 */
export interface ContactLink {
  tenantId: string;
  /** The source folder (ContactSource.sourceKey). */
  sourceKey: string;
  /** The Outlook contact id (immutable ids are asked for). */
  contactId: string;
  state: 'creating' | 'active';
  /** Absent while `creating`. */
  pbxContactId?: string | undefined;
  /** What was (or is being) written to the PBX: what an update compares with, and a replay matches by. */
  fields: PbxContactFields;
  updatedAt: string;
}

/** Port: contact links (Table Storage, one partition per tenant and source folder). Only contact features write them. */
export interface ContactLinkStore {
  listBySource(tenantId: string, sourceKey: string): Promise<ContactLink[]>;
  /** Creates or replaces, in transactions (the feature's run is its tenant's only writer, under the writer lease). */
  putMany(links: readonly ContactLink[]): Promise<void>;
  /** Idempotent. */
  deleteMany(tenantId: string, sourceKey: string, contactIds: readonly string[]): Promise<void>;
  deleteSource(tenantId: string, sourceKey: string): Promise<void>;
  deleteAllForTenant(tenantId: string): Promise<void>;
}
