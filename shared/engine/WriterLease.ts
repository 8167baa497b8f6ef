/**
 * One writer per tenant and lane, whatever the entry point (queue worker, CLI, admin routes, timers): a
 * run writes to the PBX and to our links only while it holds its tenant's lease for its lane. The queue's
 * sessions already serialise queued jobs; the lease also covers what does not go through the queue and two
 * instances that both believe they own a session.
 */
export interface HeldLease {
  key: { tenantId: string; lane: string };
  owner: string;
  expiresAt: string;
  etag: string;
}

/** Port: leases in a store every instance shares (Table Storage). */
export interface WriterLeaseStore {
  /**
   * Takes the lease when nobody holds it or its holder let it expire; else null and who holds it (the
   * holder's expiry tells when to try again).
   */
  acquire(
    key: HeldLease['key'],
    owner: string,
    ttlMs: number,
    now: Date,
  ): Promise<{ lease: HeldLease; heldBy?: undefined } | { lease: null; heldBy: { owner: string; expiresAt: string } }>;
  /** Extends a held lease; AppError PRECONDITION_FAILED when it was taken over meanwhile (lost). */
  renew(lease: HeldLease, ttlMs: number, now: Date): Promise<HeldLease>;
  /** Gives it up (only if still ours). */
  release(lease: HeldLease): Promise<void>;
}
