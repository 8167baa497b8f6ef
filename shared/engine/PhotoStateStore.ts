/**
 * What the connector last made of one user's photo on the PBX: the Entra photo's ETag it checked and a hash
 * of the picture it set (an ETag that changes with the same picture costs no PBX write), or that it
 * removed the picture. No record: the connector never set one.
 */
export interface PhotoState {
  tenantId: string;
  /** The Entra object id. */
  objectId: string;
  /** The Entra photo's ETag when last checked ('' when the user had none). */
  etag: string;
  /** SHA-256 (hex) of the picture set on the PBX; '' when the connector removed it. */
  imageHash: string;
  updatedAt: string;
}

/** Port: photo states (Table Storage, partition = tenant). Only the photos feature writes them. */
export interface PhotoStateStore {
  listByTenant(tenantId: string): Promise<PhotoState[]>;
  put(state: PhotoState): Promise<void>;
  /** Idempotent. */
  delete(tenantId: string, objectId: string): Promise<void>;
  deleteAllForTenant(tenantId: string): Promise<void>;
}
