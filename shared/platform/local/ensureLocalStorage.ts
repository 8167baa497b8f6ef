import { join, resolve } from 'node:path';
import { azuriteAnswers } from './azuriteAnswers';
import { readAzuriteState, removeAzuriteState, writeAzuriteState } from './azuriteState';
import { localPorts } from './localPorts';
import { portInUseMessage } from './portInUse';
import { portIsFree } from './portIsFree';
import { processIsAlive } from './processIsAlive';
import { azuriteConnectionString, startAzurite } from './startAzurite';
import { AppError } from '../../core/errors/AppError';

export interface LocalStorage {
  connectionString: string;
  /** What the storage is, for the start-up banner. */
  description: string;
  /** Stops Azurite only when this call started it; a shared or configured storage is left alone. */
  stop: () => Promise<void>;
}

export interface LocalStorageOptions {
  /** The checkout's `.local` folder: Azurite's data in `azurite/`, its record in `azurite.json`. */
  localDir?: string;
}

/**
 * When the settings name no storage or the development emulator, the Azurite of this checkout: the one
 * another command of this checkout started (`npm start` while `npm run sync` runs), found through
 * `.local/azurite.json` (its pid alive and Azurite answering on its port), else a new one with its data in
 * `.local/azurite`. Never whatever else answers on the port — another project's Azurite holds other data.
 */
export async function ensureLocalStorage(
  env: Record<string, string | undefined>,
  options: LocalStorageOptions = {},
): Promise<LocalStorage> {
  const configured = env.AzureWebJobsStorage;
  if (configured && configured !== 'UseDevelopmentStorage=true')
    return { connectionString: configured, description: 'the configured storage account', stop: async () => undefined };
  const port = localPorts(env).AZURITE_TABLE_PORT;
  const localDir = options.localDir ?? resolve('.local');
  const statePath = join(localDir, 'azurite.json');
  const location = join(localDir, 'azurite');

  const recorded = readAzuriteState(statePath);
  if (recorded && processIsAlive(recorded.pid) && (await azuriteAnswers(recorded.port))) {
    if (recorded.port !== port)
      throw new AppError(
        'CONFIG',
        `this checkout's Azurite (pid ${recorded.pid}) already runs on port ` +
          `${recorded.port}; stop it or set AZURITE_TABLE_PORT=${recorded.port}`,
      );
    return {
      connectionString: azuriteConnectionString(port),
      description: `Azurite Table service on port ${port}, shared with the command that started it (pid ${recorded.pid})`,
      stop: async () => undefined,
    };
  }
  if (!(await portIsFree(port))) throw new AppError('CONFIG', portInUseMessage(port, 'AZURITE_TABLE_PORT'));

  const azurite = await startAzurite({ location, port });
  writeAzuriteState(statePath, { pid: azurite.pid, port, location });
  return {
    connectionString: azurite.connectionString,
    description: `Azurite Table service on port ${port} (data in ${location})`,
    stop: async () => {
      await azurite.stop();
      removeAzuriteState(statePath, azurite.pid);
    },
  };
}
