import { AppError } from '../core/errors/AppError';
import { unauthenticated } from './authenticatePbxRequest';
import { type PbxKeyStore, type PbxRequestKind, type StoredPbxKey } from '../app/PbxKeyStore';

/** Default: one queued sync, and separately one dry run, per key and minute. */
export const PBX_REQUEST_WINDOW_MS = 60_000;

/** Written to give a slot back: a time long past, so the next request gets through. */
const LONG_AGO = new Date(0).toISOString();

/** A request refused by the per-key rate limit: 429 with Retry-After (pbxHandler). */
export class RateLimitedError extends AppError {
  constructor(
    readonly kind: PbxRequestKind,
    readonly retryAfterSeconds: number,
  ) {
    super(
      'THROTTLED',
      `this key already asked for a ${kind === 'sync' ? 'sync' : 'dry run'} in the last minute; try again in ${retryAfterSeconds} s`,
      { details: { retryAfterSeconds }, retryAfterMs: retryAfterSeconds * 1000 },
    );
  }
}

/**
 * The per-key rate limit of the expensive PBX requests (a queued sync, a dry run that reads the whole
 * directory): one of each kind per key and window, so a button pressed 100 times queues one run. The claim
 * is a conditional write of the key's row (its ETag), so it holds across instances: of two requests racing
 * for the same slot exactly one wins. Throws RateLimitedError; `release` gives the slot back when the request
 * then failed (a disabled tenant, a queue outage), so the PBX can try again at once.
 */
export async function claimRequestSlot(
  store: PbxKeyStore,
  key: StoredPbxKey,
  kind: PbxRequestKind,
  now: Date,
  windowMs: number = PBX_REQUEST_WINDOW_MS,
): Promise<{ release(): Promise<void> }> {
  const last = key.requestedAt[kind];
  if (last !== undefined) {
    const elapsed = now.getTime() - Date.parse(last);
    // A time in the future (another instance's clock) counts as just now.
    if (elapsed < windowMs) throw new RateLimitedError(kind, Math.ceil(Math.min(windowMs, windowMs - elapsed) / 1000));
  }
  const claimed = await store.update(key.hash, { requestedAt: { [kind]: now.toISOString() } }, key.etag);
  if (claimed.outcome !== 'updated') {
    if (claimed.outcome === 'gone') throw unauthenticated('unknown'); // revoked this very moment
    throw new RateLimitedError(kind, Math.ceil(windowMs / 1000)); // another request won the slot
  }
  const { etag } = claimed;
  return {
    release: async () => {
      await store.update(key.hash, { requestedAt: { [kind]: last ?? LONG_AGO } }, etag);
    },
  };
}
