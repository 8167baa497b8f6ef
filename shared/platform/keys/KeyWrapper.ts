/** A data key wrapped by a key-encryption key, and the exact (versioned) key that wrapped it. */
export interface WrappedKey {
  /** base64url. */
  wrappedKey: string;
  /** The versioned id of the wrapping key: unwrapping needs that version, also after a rotation. */
  keyId: string;
}

/**
 * Port: a key-encryption key that wraps and unwraps small data keys (RSA-OAEP-256) and never leaves its store
 * (Key Vault, or a local file for runs without Azure). Rotation adds versions; older ones still unwrap.
 */
export interface KeyWrapper {
  /** Wraps with the current version. */
  wrap(dataKey: Buffer): Promise<WrappedKey>;
  /** Unwraps with the version named in `keyId` (refused when it names another key or vault). */
  unwrap(wrappedKey: string, keyId: string): Promise<Buffer>;
  /** The versioned id of the current version, read afresh (a rotation elsewhere shows at once). */
  currentKeyId(): Promise<string>;
  /** Creates the key when it does not exist yet (RSA, wrapKey/unwrapKey only); answers the current key id. */
  ensureKey(): Promise<string>;
}
