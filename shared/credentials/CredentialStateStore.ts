/** A certificate version Entra knows (as far as the connector can tell) and how it got there. */
export interface RegisteredCertificateKey {
  version: string;
  /** SHA-1 of the certificate, upper-case hex. */
  thumbprint: string;
  /** Entra's key id, known when the connector added the key itself (addKey answers it) or looked it up. */
  keyId?: string | undefined;
  /** `connector`: added with addKey; `admin`: uploaded by a person (the first version, or when addKey cannot run). */
  registeredBy: 'connector' | 'admin';
  /** Set once the connector has signed in with a newer version: this key is to be removed from the app. */
  retiring?: boolean | undefined;
  /** Why a retiring key could not be removed (shown to the admin with what to do). */
  removalProblem?: string | undefined;
}

/** Where a managed certificate's rollover stands. */
export interface CertificateRolloverState {
  /** The version the connector signs in with; unset until the certificate exists and one is chosen. */
  activeVersion?: string | undefined;
  keys: RegisteredCertificateKey[];
  /** The last rollover check: when, and what it did or why it waits, in plain words. */
  lastCheckedAt?: string | undefined;
  lastOutcome?: string | undefined;
  /** Set while the last check failed; cleared by the next good one. */
  lastError?: string | undefined;
}

/** A customer directory's admin consent to the operator's shared app (auth kind `sharedApp`). */
export interface SharedAppConsent {
  directoryId: string;
  consentedAt: string;
}

/** What the connector keeps about one owner's Graph credential (a tenant, or the shared app). */
export interface GraphCredentialState {
  certificate?: CertificateRolloverState | undefined;
  consent?: SharedAppConsent | undefined;
}

export interface StoredCredentialState {
  state: GraphCredentialState;
  etag: string;
}

/**
 * Port: the connector's record of its Graph credentials (no secret in it: versions, thumbprints, key ids,
 * consent), by owner — a tenant id, or SHARED_APP_OWNER. Writes are conditional so two rollovers never both win.
 */
export interface CredentialStateStore {
  get(owner: string): Promise<StoredCredentialState | undefined>;
  /** Creates (no etag) or replaces (etag) the owner's state; PRECONDITION_FAILED when someone else wrote first. */
  put(owner: string, state: GraphCredentialState, etag?: string): Promise<string>;
  delete(owner: string): Promise<void>;
}

/** The owner key of the operator's shared multi-tenant app (tenant ids cannot contain an underscore). */
export const SHARED_APP_OWNER = 'shared_app';
