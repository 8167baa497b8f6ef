import { resolve } from 'node:path';
import { azuriteConnectionString, startAzurite } from './startAzurite';

/**
 * When the settings name no storage or the development emulator, start Azurite (from npm) with its data in
 * .local/azurite and return its connection string; otherwise return the configured one.
 */
export async function ensureLocalStorage(
  env: Record<string, string | undefined>,
): Promise<{ connectionString: string; stop: () => Promise<void> }> {
  const configured = env.AzureWebJobsStorage;
  if (configured && configured !== 'UseDevelopmentStorage=true') return { connectionString: configured, stop: async () => undefined };
  const port = Number(env.AZURITE_TABLE_PORT ?? 10002);
  const running = await fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
  // `npm start` may already serve it: share that Azurite instead of failing on the busy port.
  if (running) return { connectionString: azuriteConnectionString(port), stop: async () => undefined };
  const azurite = await startAzurite({ location: resolve('.local', 'azurite'), port });
  return { connectionString: azuriteConnectionString(azurite.tablePort), stop: azurite.stop };
}
