/**
 * A contact folder a contact feature copies into a PBX book: a folder of a synced user's mailbox into that
 * user's personal contacts, or a folder of a shared mailbox into the company phonebook. Recorded so a later
 * run finds the PBX contacts of a folder (or owner) that is gone and removes them.
 */
export interface ContactSource {
  tenantId: string;
  /** Stable key of feature + mailbox + folder (contactSourceKey). */
  sourceKey: string;
  feature: string;
  /** The mailbox: a user's object id or a shared mailbox's address. */
  mailbox: string;
  /** MailboxReader's folder id (DEFAULT_CONTACT_FOLDER for the default folder). */
  folderId: string;
  /** For personal contacts: the owner, as linked when the source was first synced. */
  owner?: { objectId: string; pbxUserId: string; pbxUserName: string } | undefined;
  updatedAt: string;
}

/** Port: the contact folders a tenant's contact features have synced (Table Storage, partition = tenant). */
export interface ContactSourceStore {
  listByTenant(tenantId: string, feature: string): Promise<ContactSource[]>;
  put(source: ContactSource): Promise<void>;
  /** Idempotent. */
  delete(tenantId: string, sourceKey: string): Promise<void>;
  deleteAllForTenant(tenantId: string): Promise<void>;
}
