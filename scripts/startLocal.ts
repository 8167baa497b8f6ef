import { setLogFormat } from '../shared/core/logging/logSinks';
import { loadLocalSettings } from '../shared/platform/local/loadLocalSettings';
import { StopStack } from '../shared/platform/local/StopStack';
import { stopOnSignals } from '../shared/platform/local/stopOnSignals';
import { startLocalConnector } from './local/startLocalConnector';

/**
 * `npm start`: the connector on this machine with embedded defaults (see startLocalConnector), serving the
 * HTTP API until SIGINT or SIGTERM, which stop everything it started. A failed start stops what had started
 * and exits 1 with one line saying why.
 */
async function main(): Promise<void> {
  const stops = new StopStack();
  // Listening from the first moment: Ctrl+C during a slow first sync still stops Azurite and the sandboxes.
  stopOnSignals(() => stops.stopAll());
  try {
    const env = loadLocalSettings();
    // Readable lines on a terminal unless JSON is asked for (LOG_FORMAT=json, as in Azure).
    setLogFormat(env.LOG_FORMAT === 'json' ? 'json' : 'text');
    await startLocalConnector(env, stops);
  } catch (err) {
    console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  console.log('ready — press Ctrl+C to stop');
}

void main();
