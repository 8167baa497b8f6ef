import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { azuriteAnswers } from '../../../shared/platform/local/azuriteAnswers';
import { ensureLocalStorage, type LocalStorage } from '../../../shared/platform/local/ensureLocalStorage';
import { processIsAlive } from '../../../shared/platform/local/processIsAlive';
import { freePort } from '../../../shared/platform/local/startAzurite';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function localDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'local-storage-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function ensure(env: Record<string, string>, dir: string): Promise<LocalStorage> {
  const storage = await ensureLocalStorage(env, { localDir: dir });
  cleanups.push(() => storage.stop());
  return storage;
}

const stateOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'azurite.json'), 'utf8')) as { pid: number; port: number; location: string };

/** Some other program answering HTTP on a port (another project's server). */
async function otherServer(): Promise<number> {
  const server: Server = createServer((_req, res) => res.end('not azurite'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid;
}

describe('ensureLocalStorage', () => {
  it('uses the configured storage account as it is', async () => {
    const storage = await ensureLocalStorage({ AzureWebJobsStorage: 'DefaultEndpointsProtocol=https;AccountName=x' });
    expect(storage.connectionString).toBe('DefaultEndpointsProtocol=https;AccountName=x');
    await storage.stop();
  });

  it('starts Azurite, records it, shares it with a second command, and only the starter stops it', async () => {
    const dir = localDir();
    const port = await freePort();
    const env = { AZURITE_TABLE_PORT: String(port) };
    const first = await ensure(env, dir);
    const state = stateOf(dir);
    expect(state).toEqual({ pid: expect.any(Number), port, location: join(dir, 'azurite') });
    expect(processIsAlive(state.pid)).toBe(true);
    expect(first.connectionString).toContain(`TableEndpoint=http://127.0.0.1:${port}/`);

    const second = await ensure(env, dir);
    expect(second.connectionString).toBe(first.connectionString);
    expect(second.description).toContain(`pid ${state.pid}`);
    await second.stop();
    expect(await azuriteAnswers(port)).toBe(true);
    expect(stateOf(dir).pid).toBe(state.pid);

    await first.stop();
    expect(processIsAlive(state.pid)).toBe(false);
    expect(existsSync(join(dir, 'azurite.json'))).toBe(false);
    expect(await azuriteAnswers(port)).toBe(false);
  });

  it('fails with one line naming the port and AZURITE_TABLE_PORT when something else holds the port', async () => {
    const dir = localDir();
    const port = await otherServer();
    await expect(ensureLocalStorage({ AZURITE_TABLE_PORT: String(port) }, { localDir: dir })).rejects.toThrow(
      `port ${port} is in use (AZURITE_TABLE_PORT); stop what uses it or set AZURITE_TABLE_PORT=<free port>`,
    );
    expect(existsSync(join(dir, 'azurite.json'))).toBe(false);
  });

  it('does not take a live process recorded in the file for Azurite when something else answers', async () => {
    const dir = localDir();
    const port = await otherServer();
    writeFileSync(join(dir, 'azurite.json'), JSON.stringify({ pid: process.pid, port, location: join(dir, 'azurite') }));
    await expect(ensureLocalStorage({ AZURITE_TABLE_PORT: String(port) }, { localDir: dir })).rejects.toThrow(`port ${port} is in use`);
  });

  it('starts afresh over a stale record (its process gone)', async () => {
    const dir = localDir();
    const port = await freePort();
    const stalePid = deadPid();
    writeFileSync(join(dir, 'azurite.json'), JSON.stringify({ pid: stalePid, port, location: join(dir, 'azurite') }));
    const storage = await ensure({ AZURITE_TABLE_PORT: String(port) }, dir);
    const state = stateOf(dir);
    expect(state.pid).not.toBe(stalePid);
    expect(processIsAlive(state.pid)).toBe(true);
    expect(await azuriteAnswers(port)).toBe(true);
    await storage.stop();
    expect(existsSync(join(dir, 'azurite.json'))).toBe(false);
  });

  it("refuses a second port while this checkout's Azurite runs on another", async () => {
    const dir = localDir();
    const port = await freePort();
    await ensure({ AZURITE_TABLE_PORT: String(port) }, dir);
    const other = await freePort();
    await expect(ensureLocalStorage({ AZURITE_TABLE_PORT: String(other) }, { localDir: dir })).rejects.toThrow(
      `already runs on port ${port}; stop it or set AZURITE_TABLE_PORT=${port}`,
    );
  });

  it('refuses an invalid AZURITE_TABLE_PORT by name', async () => {
    await expect(ensureLocalStorage({ AZURITE_TABLE_PORT: 'ten' }, { localDir: localDir() })).rejects.toThrow(
      /^AZURITE_TABLE_PORT must be/,
    );
  });
});
