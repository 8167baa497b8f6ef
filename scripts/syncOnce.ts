import { constants } from 'node:os';
import { resolve } from 'node:path';
import { loadAppSettings } from '../shared/config/AppSettings';
import { Logger } from '../shared/core/logging/Logger';
import { ensureError } from '../shared/core/errors/ensureError';
import { InProcessJobQueue } from '../shared/platform/queue/InProcessJobQueue';
import { createServices } from '../shared/app/createServices';
import { processSyncJob } from '../shared/app/processSyncJob';
import { runUserSync } from '../shared/features/users/runUserSync';
import { newRunId } from '../shared/engine/newRunId';
import { ensureLocalStorage } from '../shared/platform/local/ensureLocalStorage';
import { loadLocalSettings } from '../shared/platform/local/loadLocalSettings';
import { optionsOrExit } from '../shared/platform/local/optionsOrExit';
import { stopOnSignals } from '../shared/platform/local/stopOnSignals';
import { StopStack } from '../shared/platform/local/StopStack';
import { parseSyncOptions, type SyncOptions } from './syncOptions';
import { stderrLogSink } from '../shared/core/logging/logSinks';

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
  if (!tenant) throw new Error(`tenant ${args.tenant} does not exist`);
  if (args.dryRun) {
    const connectors = await services.connectorsFor(tenant);
    const result = await runUserSync(
      {
        tenantId: tenant.id,
        options: tenant.config.users,
        directoryReader: connectors.directoryReader,
        pbx: connectors.pbx,
        deltaStates: services.deltaStates,
        links: services.links,
        pendingUsers: services.pendingUsers,
        concurrency: services.syncConcurrency,
      },
      { mode: args.mode, dryRun: true },
    );
    console.log(JSON.stringify({ dryRun: true, ...result }, null, 2));
    return 0;
  }
  const runId = newRunId();
  const run = await processSyncJob(
    services,
    { jobId: runId, runId, tenantId: tenant.id, resource: 'users', mode: args.mode, trigger: 'cli', requestedAt: new Date().toISOString() },
    // Every line to stderr: stdout carries only the JSON summary.
    new Logger(stderrLogSink('debug'), 'cli'),
  ).catch((err: unknown) => {
    console.error(ensureError(err).message);
    return undefined;
  });
  const stored = await services.runs.get(tenant.id, runId);
  console.log(JSON.stringify(stored ?? run ?? { runId, status: 'failed' }, null, 2));
  return stored?.status === 'succeeded' ? 0 : stored?.status === 'partial' ? 2 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(ensureError(err).message);
    process.exit(1);
  },
);
