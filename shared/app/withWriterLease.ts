import { hostname } from 'node:os';
import { AppError } from '../core/errors/AppError';
import { ensureError } from '../core/errors/ensureError';
import { type Logger } from '../core/logging/Logger';
import { type HeldLease, type WriterLeaseStore } from '../engine/WriterLease';

export interface WriterLeaseOptions {
  /** How long a lease lives without renewal: a crashed holder blocks its lane at most this long. */
  ttlMs?: number;
  renewEveryMs?: number;
  now?: () => Date;
}

/**
 * Runs `work` while holding the tenant's writer lease for a lane, renewing it as the work goes on, and
 * gives it up at the end. When another writer holds it, nothing runs: TRANSIENT (code `writerBusy`), so a
 * queued job is delivered again later and the CLI says who is writing.
 */
export async function withWriterLease<T>(
  leases: WriterLeaseStore,
  key: HeldLease['key'],
  runId: string,
  log: Logger,
  work: () => Promise<T>,
  options: WriterLeaseOptions = {},
): Promise<T> {
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? (() => new Date());
  const owner = `${hostname()}:${process.pid}:${runId}`;
  const acquired = await leases.acquire(key, owner, ttlMs, now());
  if (!acquired.lease) {
    throw new AppError(
      'TRANSIENT',
      `another run is writing for tenant ${key.tenantId} (${key.lane} lane) until ${acquired.heldBy.expiresAt} at the latest; ` +
        'this one waits for it',
      { upstreamCode: 'writerBusy', details: { holder: acquired.heldBy.owner } },
    );
  }
  let lease: HeldLease = acquired.lease;
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      renewing = leases.renew(lease, ttlMs, now()).then(
        (renewed) => void (lease = renewed),
        (err: unknown) => log.error('could not renew the writer lease', { error: ensureError(err).message, lane: key.lane }),
      );
    },
    options.renewEveryMs ?? ttlMs / 3,
  );
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await renewing;
    await leases
      .release(lease)
      .catch((err: unknown) => log.warn('could not release the writer lease', { error: ensureError(err).message }));
  }
}
