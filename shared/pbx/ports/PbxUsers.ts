import { type PbxFieldsNotOwnedBy } from './PbxFieldOwners';
import { type PbxNewUser } from './PbxNewUser';
import { type PbxNumberOwner } from './PbxNumberOwner';
import { type PbxUser } from './PbxUser';
import { type PbxUserChanges } from './PbxUserChanges';

/**
 * Port: the PBX operations user sync needs. Adapters sign in, rate-limit and retry 429/5xx themselves;
 * what they throw is an AppError (NOT_FOUND, CONFLICT, INVALID, UNAUTHORIZED, THROTTLED, TRANSIENT…)
 * that is final for the call. It writes PbxUserFields only: presence goes through PbxPresence.
 */
export interface PbxUsers {
  /** Every user on the PBX tenant, page by page (used to find free numbers and adoptable emails). */
  listUsers(): AsyncIterable<PbxUser[]>;
  /** Numbers used by anything that is not a user (ring groups, queues, conference rooms, IVRs). */
  listNonUserNumbers(): Promise<string[]>;
  /** Who holds an extension number, or null when it is free. */
  findNumberOwner(extensionNumber: string): Promise<PbxNumberOwner | null>;
  /** One user by PBX id, or null when it does not exist. */
  getUser(id: string): Promise<PbxUser | null>;
  /** Creates the user (with whatever secrets the product requires, generated) and returns its PBX id. */
  createUser(user: PbxNewUser & PbxFieldsNotOwnedBy<'users'>): Promise<{ id: string }>;
  /** Sends only the given fields. */
  updateUser(id: string, changes: PbxUserChanges): Promise<void>;
  /** Deletes the user; already gone counts as done. */
  deleteUser(id: string): Promise<void>;
  /**
   * The connector stops managing the user (it deleted the extension, or handed it over to the PBX admin): it
   * forgets what it kept to act as them (PortSIP: the portal password and any session). Idempotent; adapters
   * that keep nothing per user leave it out.
   */
  releaseUser?(userName: string): Promise<void>;
  /** Binds the Microsoft 365 identity (Entra object id) so Microsoft sign-in works. Idempotent. */
  bindMicrosoft365(id: string, entraObjectId: string): Promise<void>;
  /** Requests sent so far (for run statistics and benchmarks). */
  requestCount(): number;
}
