/** The user fields the connector manages on a PBX extension. Empty string means "cleared". */
export interface PbxUserFields {
  displayName: string;
  email: string;
  mobilePhone: string;
  workPhone: string;
  department: string;
  enabled: boolean;
}

export interface PbxUser extends PbxUserFields {
  id: string;
  /** The PBX account name (immutable on PortSIP). */
  userName: string;
  /** The extension number (immutable on PortSIP). */
  extensionNumber: string;
}

export interface PbxNewUser extends PbxUserFields {
  userName: string;
  extensionNumber: string;
}

export type PbxNumberType = 'EXTENSION' | 'RING_GROUP' | 'CALL_QUEUE' | 'CONFERENCE_ROOM' | 'VIRTUAL_RECEPTIONIST' | 'OTHER';

export interface PbxNumberOwner {
  id: string;
  extensionNumber: string;
  name: string;
  type: PbxNumberType;
}

/**
 * Port: the PBX operations user sync needs. Adapters sign in, rate-limit and retry 429/5xx themselves;
 * what they throw is an AppError (NOT_FOUND, CONFLICT, INVALID, UNAUTHORIZED, THROTTLED, TRANSIENT…)
 * that is final for the call.
 */
export interface PbxClient {
  /** Every user on the PBX tenant, page by page (used to find free numbers and adoptable emails). */
  listUsers(): AsyncIterable<PbxUser[]>;
  /** Numbers used by anything that is not a user (ring groups, queues, conference rooms, IVRs). */
  listNonUserNumbers(): Promise<string[]>;
  /** Who holds an extension number, or null when it is free. */
  findNumberOwner(extensionNumber: string): Promise<PbxNumberOwner | null>;
  getUser(id: string): Promise<PbxUser | null>;
  /** Creates the user (with generated passwords and voicemail PIN) and returns its PBX id. */
  createUser(user: PbxNewUser): Promise<{ id: string }>;
  /** Sends only the given fields. */
  updateUser(id: string, changes: Partial<PbxUserFields>): Promise<void>;
  deleteUser(id: string): Promise<void>;
  /** Binds the Microsoft 365 identity (Entra object id) so Microsoft sign-in works. Idempotent. */
  bindMicrosoft365(id: string, entraObjectId: string): Promise<void>;
  /** Requests sent so far (for run statistics and benchmarks). */
  requestCount(): number;
}
