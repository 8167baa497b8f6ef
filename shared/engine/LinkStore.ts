import { type AppError } from '../core/errors/AppError';
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
  /** The stored version this copy was read or written as (absent before the first write): updates need it. */
  etag?: string | undefined;
}

/** One conditional link write: `create` is create-if-absent, `update` replaces the version read (`link.etag`). */
export type LinkWrite = { kind: 'create'; link: UserLink } | { kind: 'update'; link: UserLink };

/**
 * What became of one write: the link as stored (with its new etag), or the error.
 * CONFLICT (the link exists) and PRECONDITION_FAILED (it changed or vanished since it was read) mean another
 * writer touched the user; TRANSIENT means the store could not confirm the write either way.
 */
export type LinkWriteResult = { ok: true; link: UserLink } | { ok: false; error: AppError };

/** Port: user links (Table Storage, partitioned by tenant). Links read carry their etag. */
export interface LinkStore {
  listByTenant(tenantId: string): Promise<UserLink[]>;
  get(tenantId: string, objectId: string): Promise<UserLink | null>;
  /** Create-if-absent: AppError CONFLICT when the user already has a link. Returns the link with its etag. */
  create(link: UserLink): Promise<UserLink>;
  /** Replaces the version read (`link.etag`, required): AppError PRECONDITION_FAILED if it changed or is gone. */
  update(link: UserLink): Promise<UserLink>;
  /**
   * Idempotent: deleting a missing link is not an error. With an etag only that version is deleted
   * (AppError PRECONDITION_FAILED if the link changed since it was read).
   */
  delete(tenantId: string, objectId: string, etag?: string): Promise<void>;
  /**
   * Many creates and updates for one tenant in few round trips (entity-group transactions); one result per
   * write, in the same order. A refused write does not hold back the others.
   */
  writeMany(tenantId: string, writes: readonly LinkWrite[]): Promise<LinkWriteResult[]>;
  deleteAllForTenant(tenantId: string): Promise<void>;
}
