import { app, type InvocationContext, type Timer } from '@azure/functions';
import { loggerFor } from '../shared/core/logging/loggerFor';
import { loadAppSettings } from '../shared/config/AppSettings';
import { getServices } from '../shared/app/getServices';
import { purgeExpiredRunChanges } from '../shared/app/purgeExpiredRunChanges';

export async function purgeRunChanges(_timer: Timer, context: InvocationContext): Promise<void> {
  const { RUN_CHANGES_RETENTION_DAYS } = loadAppSettings();
  const services = await getServices();
  const now = new Date();
  const purged = await purgeExpiredRunChanges(services, now, RUN_CHANGES_RETENTION_DAYS);
  // Presence decisions name users too: the same retention.
  const presenceEntries = await services.presenceHistory.purgeOlderThan(new Date(now.getTime() - RUN_CHANGES_RETENTION_DAYS * 86_400_000));
  loggerFor(context).info('expired run changes purged', { ...purged, presenceEntries, retentionDays: RUN_CHANGES_RETENTION_DAYS });
}

// Daily at 03:17 UTC (off the hour, away from other timers): run change lists and presence history hold personal data.
app.timer('purgeRunChanges', { schedule: '0 17 3 * * *', handler: purgeRunChanges });
