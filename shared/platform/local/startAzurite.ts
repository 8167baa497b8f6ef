import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../core/errors/AppError';

export interface RunningAzurite {
  /** The Azurite process (a child of this one). */
  pid: number;
  tablePort: number;
  connectionString: string;
  stop: () => Promise<void>;
}

/** The well-known Azurite development account (public, documented by Microsoft; not a secret). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(tablePort: number): string {
  const endpoint = `http://127.0.0.1:${tablePort}/${DEV_ACCOUNT}`;
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=${endpoint};`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new AppError('INTERNAL', `Azurite exited early with code ${child.exitCode}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new AppError('INTERNAL', `Azurite did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * Starts Azurite's Table service (from the azurite npm package) on a free port with a throwaway folder, or with
 * `inMemory` none at all: Azurite then never saves its whole database to disk, which under a benchmark's
 * hundreds of thousands of rows costs more than the writes themselves.
 */
export async function startAzurite(options: { location?: string; port?: number; inMemory?: boolean } = {}): Promise<RunningAzurite> {
  const tablePort = options.port ?? (await freePort());
  const throwaway = !options.inMemory && !options.location ? mkdtempSync(join(tmpdir(), 'azurite-')) : undefined;
  const location = options.location ?? throwaway;
  const storage = options.inMemory ? ['--inMemoryPersistence'] : ['--location', location!];
  const bin = require.resolve('azurite/dist/src/table/main.js');
  const child = spawn(
    process.execPath,
    [
      bin,
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      String(tablePort),
      ...storage,
      '--silent',
      '--skipApiVersionCheck',
      '--disableProductStyleUrl',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  // A child outlives a parent that exits without stopping it (process.exit, an uncaught error): kill it then too.
  const killOnExit = () => child.kill();
  process.once('exit', killOnExit);
  try {
    await waitForPort(tablePort, child, 20_000);
  } catch (err) {
    process.off('exit', killOnExit);
    child.kill();
    throw new AppError('INTERNAL', `${(err as Error).message}\n${stderr}`, { cause: err });
  }
  return {
    pid: child.pid!,
    tablePort,
    connectionString: azuriteConnectionString(tablePort),
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill();
        await exited;
      }
      if (throwaway) rmSync(throwaway, { recursive: true, force: true });
    },
  };
}
