/** One of the app registration's certificate credentials as Graph lists it (never the key itself). */
export interface ApplicationKeyCredential {
  keyId: string;
  /** Graph's binary customKeyIdentifier as sent (base64); for certificates it is the SHA-1 thumbprint. */
  customKeyIdentifier?: string | undefined;
  endDateTime?: string | undefined;
  type?: string | undefined;
}

/**
 * Port: the app registration's own certificate credentials, changed by the app itself. Graph lets an app add and
 * remove its keys without any permission, given a proof signed with a key it already has (signProofOfPossession).
 */
export interface ApplicationKeys {
  /** Registers a certificate (DER) on the app; answers Entra's key id. CONFLICT when the app has it already. */
  addKey(input: { applicationObjectId: string; certificateDer: Buffer; displayName: string; proof: string }): Promise<{ keyId: string }>;
  /** Removes a key by id; NOT_FOUND when the app has no such key. */
  removeKey(input: { applicationObjectId: string; keyId: string; proof: string }): Promise<void>;
  /** The app's certificate credentials; FORBIDDEN when the app may not read its own registration. */
  listKeyCredentials(applicationObjectId: string): Promise<ApplicationKeyCredential[]>;
}
