import { constants } from 'node:os';
import { resolve } from 'node:path';
import { loadAppSettings } from '../shared/config/AppSettings';
import { Logger } from '../shared/core/logging/Logger';
import { ensureError } from '../shared/core/errors/ensureError';
import { InProcessJobQueue } from '../shared/platform/queue/InProcessJobQueue';
import { AppError } from '../shared/core/errors/AppError';
import { createServices } from '../shared/app/createServices';
import { processSyncJob } from '../shared/app/processSyncJob';
import { newRunId } from '../shared/engine/newRunId';
import { ensureLocalStorage } from '../shared/platform/local/ensureLocalStorage';
import { loadLocalSettings } from '../shared/platform/local/loadLocalSettings';
import { optionsOrExit } from '../shared/platform/local/optionsOrExit';
import { stopOnSignals } from '../shared/platform/local/stopOnSignals';
import { StopStack } from '../shared/platform/local/StopStack';
import { parseSyncOptions, type SyncOptions } from './syncOptions';
import { stderrLogSink } from '../shared/core/logging/logSinks';
import { featureContext } from '../shared/app/featureContext';
import { featureSyncJob } from '../shared/app/jobs/featureSyncJob';

/**
 * One sync from the command line against whatever Graph and PBX the tenant's configuration names; prints a
 * JSON summary and exits non-zero when the run failed (or, for a dry run, could not plan). Azurite is shared
 * with a running `npm start` of this checkout (and left running for it), else started and stopped here.
 */
async function main(): Promise<number> {
  const args = optionsOrExit(parseSyncOptions(process.argv.slice(2)));
  const env = loadLocalSettings();
  const stops = new StopStack();
  // Interrupted, it still stops the Azurite it started (exit 128 + the signal's number, as a shell reports it).
  stopOnSignals(() => stops.stopAll(), { log: (m) => console.error(m), exitCode: (signal) => 128 + constants.signals[signal] });
  try {
    const storage = await ensureLocalStorage(env);
    stops.add('storage', storage.stop);
    return await syncWith(args, env, storage.connectionString);
  } finally {
    await stops.stopAll();
  }
}

async function syncWith(args: SyncOptions, env: Record<string, string | undefined>, storage: string): Promise<number> {
  const settings = loadAppSettings({
    ...env,
    AzureWebJobsStorage: storage,
    QUEUE_MODE: 'inprocess',
    LOCAL_SECRETS_FILE: env.KEY_VAULT_URI ? undefined : (env.LOCAL_SECRETS_FILE ?? resolve('.local/secrets.json')),
  });
  const services = await createServices(settings, { queue: new InProcessJobQueue() });
  const tenant = await services.tenants.get(args.tenant);
  if (!tenant) throw new AppError('NOT_FOUND', `tenant ${args.tenant} does not exist`);
  if (args.feature !== undefined && !services.features.has(args.feature)) {
    throw new AppError(
      'INVALID',
      `no feature named ${args.feature}; known: ${services.features.features.map((f) => f.manifest.name).join(', ')}`,
    );
  }
  const features = services.features
    .enabledFor(tenant.config)
    .filter(({ feature }) => (args.feature ? feature.manifest.name === args.feature : feature.reconcileOnSchedule));
  if (features.length === 0)
    throw new AppError('INVALID', `tenant ${tenant.id} has ${args.feature ? `its ${args.feature} feature` : 'every feature'} off`);
  // Every log line to stderr: stdout carries only the JSON summary.
  const log = new Logger(stderrLogSink('debug'), 'cli');
  const results: unknown[] = [];
  const statuses: string[] = [];
  for (const { feature, options } of features) {
    if (args.dryRun) {
      const connectors = await services.connectorsFor(tenant);
      const context = featureContext(
        services,
        tenant,
        connectors,
        options,
        feature.manifest.name,
        log.with({ feature: feature.manifest.name }),
      );
      results.push({ dryRun: true, feature: feature.manifest.name, ...(await feature.sync(context, { mode: args.mode, dryRun: true })) });
      continue;
    }
    const runId = newRunId();
    const job = featureSyncJob(feature.manifest, { tenantId: tenant.id, runId, mode: args.mode, trigger: 'cli' });
    const run = await processSyncJob(services, job, log).catch((err: unknown) => {
      console.error(ensureError(err).message);
      return undefined;
    });
    const stored = await services.runs.get(tenant.id, runId);
    results.push(stored ?? run ?? { runId, feature: feature.manifest.name, status: 'failed' });
    statuses.push(stored?.status ?? 'failed');
  }
  console.log(JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
  // 1 when any run failed, else 2 when any was partial, else 0.
  return statuses.some((s) => s !== 'succeeded' && s !== 'partial') ? 1 : statuses.includes('partial') ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(ensureError(err).message);
    process.exit(1);
  },
);
