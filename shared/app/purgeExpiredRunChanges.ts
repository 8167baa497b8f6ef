import { AppError } from '../core/errors/AppError';
import { type PurgedRunChanges } from '../engine/RunChangeStore';
import { type TableStores } from '../platform/tables/createTableStores';

const DAY_MS = 86_400_000;

/**
 * Deletes the change lists of runs queued more than `retentionDays` before `now` (RUN_CHANGES_RETENTION_DAYS),
 * of every tenant, deleted tenants included: they name users, so they must not outlive the retention.
 * Idempotent; a purge cut short (timeout, outage) is finished by the next one.
 */
export async function purgeExpiredRunChanges(
  stores: Pick<TableStores, 'runChanges'>,
  now: Date,
  retentionDays: number,
): Promise<PurgedRunChanges> {
  if (!Number.isInteger(retentionDays) || retentionDays < 1)
    throw new AppError('CONFIG', `run change retention must be a whole number of days (at least 1), not ${retentionDays}`);
  return stores.runChanges.purgeRunsBefore(new Date(now.getTime() - retentionDays * DAY_MS));
}
