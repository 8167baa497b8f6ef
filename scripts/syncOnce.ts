import { resolve } from 'node:path';
import { loadAppSettings } from '../shared/config/AppSettings';
import { ensureError } from '../shared/errors/ensureError';
import { InProcessJobQueue } from '../shared/queue/InProcessJobQueue';
import { createServices } from '../shared/runtime/createServices';
import { processSyncJob } from '../shared/runtime/processSyncJob';
import { runUserSync } from '../shared/sync/runUserSync';
import { newRunId } from '../shared/store/newRunId';
import { ensureLocalStorage } from '../shared/platform/local/ensureLocalStorage';
import { loadLocalSettings } from '../shared/platform/local/loadLocalSettings';

const USAGE = 'usage: npm run sync -- --tenant <id> [--dry-run] [--mode full|delta]';

function parseArgs(argv: string[]): { tenant: string; dryRun: boolean; mode: 'full' | 'delta' } {
  let tenant: string | undefined;
  let dryRun = false;
  let mode: 'full' | 'delta' = 'delta';
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--tenant') tenant = argv[++i];
    else if (arg === '--dry-run') dryRun = true;
    else if (arg === '--mode') {
      const value = argv[++i];
      if (value !== 'full' && value !== 'delta') throw new Error(`--mode must be full or delta\n${USAGE}`);
      mode = value;
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  if (!tenant) throw new Error(USAGE);
  return { tenant, dryRun, mode };
}

/**
 * One sync from the command line against whatever Graph and PBX the tenant's configuration names; prints a
 * JSON summary and exits non-zero when the run failed (or, for a dry run, could not plan).
 */
async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const env = loadLocalSettings();
  const storage = await ensureLocalStorage(env);
  try {
    return await syncWith(args, env, storage.connectionString);
  } finally {
    await storage.stop();
  }
}

async function syncWith(args: ReturnType<typeof parseArgs>, env: Record<string, string | undefined>, storage: string): Promise<number> {
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
    { log: (m) => console.error(m), error: (m) => console.error(m) },
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
