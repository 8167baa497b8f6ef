import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Logger } from '../../shared/core/logging/Logger';
import { startLocalConnector } from '../../scripts/local/startLocalConnector';
import { azuriteAnswers } from '../../shared/platform/local/azuriteAnswers';
import { portIsFree } from '../../shared/platform/local/portIsFree';
import { processIsAlive } from '../../shared/platform/local/processIsAlive';
import { freePort } from '../../shared/platform/local/startAzurite';
import { StopStack } from '../../shared/platform/local/StopStack';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function setup() {
  const localDir = mkdtempSync(join(tmpdir(), 'start-local-'));
  cleanups.push(async () => rmSync(localDir, { recursive: true, force: true }));
  // A port freed by freePort can be handed out again at once: draw until the four differ.
  const distinct = new Set<number>();
  while (distinct.size < 4) distinct.add(await freePort());
  const [PORT, SANDBOX_GRAPH_PORT, SANDBOX_PBX_PORT, AZURITE_TABLE_PORT] = [...distinct] as [number, number, number, number];
  const ports = { PORT, SANDBOX_GRAPH_PORT, SANDBOX_PBX_PORT, AZURITE_TABLE_PORT };
  const env = Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)]));
  const stops = new StopStack();
  cleanups.push(() => stops.stopAll());
  const logs: string[] = [];
  const options = { localDir, log: (m: string) => logs.push(m), logger: Logger.silent() };
  return { localDir, ports, env, stops, logs, options };
}

/** Something else holding a port, as another program would. */
async function occupy(port: number): Promise<void> {
  const server: Server = createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
}

const azuritePid = (localDir: string) => (JSON.parse(readFileSync(join(localDir, 'azurite.json'), 'utf8')) as { pid: number }).pid;

describe('startLocalConnector (npm start)', () => {
  it('starts Azurite, both sandboxes and the HTTP API; stopping stops them all', async () => {
    const { localDir, ports, env, stops, logs, options } = await setup();
    await startLocalConnector(env, stops, options);
    const pid = azuritePid(localDir);
    expect(processIsAlive(pid)).toBe(true);
    expect(logs.some((line) => line.startsWith('first sync of demo (users): succeeded'))).toBe(true);
    // The demo company's departments become PBX extension groups.
    expect(logs.some((line) => /^first sync of demo \(groups\): succeeded/.test(line))).toBe(true);
    // The shared mailbox fills the phonebook; two users' Outlook contacts and five photos reach the PBX as them.
    for (const feature of ['phonebook', 'personalContacts', 'photos'])
      expect(
        logs.some((line) => line.startsWith(`first sync of demo (${feature}): succeeded`)),
        feature,
      ).toBe(true);
    // The admin API asks for the local admin key, made at first start in .local/admin-key (0600) and printed.
    const key = readFileSync(join(localDir, 'admin-key'), 'utf8').trim();
    expect(statSync(join(localDir, 'admin-key')).mode & 0o777).toBe(0o600);
    expect(logs.some((line) => line.includes(key) && line.includes('x-functions-key'))).toBe(true);
    expect((await fetch(`http://127.0.0.1:${ports.PORT}/api/tenants`)).status).toBe(401);
    const tenants = await fetch(`http://127.0.0.1:${ports.PORT}/api/tenants`, { headers: { 'x-functions-key': key } });
    expect(tenants.status).toBe(200);
    // The sandbox Graph token is a secret: never in an answer.
    expect(JSON.stringify(await tenants.json())).not.toMatch(/"token":"(?!\*\*\*)/);
    const view = await fetch(`http://127.0.0.1:${ports.SANDBOX_PBX_PORT}/_sandbox`);
    expect(((await view.json()) as { counts: { users: number } }).counts.users).toBeGreaterThan(0);

    await stops.stopAll();
    expect(processIsAlive(pid)).toBe(false);
    expect(existsSync(join(localDir, 'azurite.json'))).toBe(false);
    for (const port of Object.values(ports)) expect(await portIsFree(port), `port ${port}`).toBe(true);
  });

  it('a busy PORT fails the start with one clear line and stops everything already started', async () => {
    const { localDir, ports, env, stops, options } = await setup();
    await occupy(ports.PORT);
    await expect(startLocalConnector(env, stops, options)).rejects.toThrow(
      `port ${ports.PORT} is in use (PORT); stop what uses it or set PORT=<free port>`,
    );
    expect(existsSync(join(localDir, 'azurite.json'))).toBe(false);
    expect(await azuriteAnswers(ports.AZURITE_TABLE_PORT)).toBe(false);
    for (const port of [ports.AZURITE_TABLE_PORT, ports.SANDBOX_GRAPH_PORT, ports.SANDBOX_PBX_PORT])
      expect(await portIsFree(port), `port ${port}`).toBe(true);
  });

  it('a busy sandbox port names SANDBOX_PBX_PORT and stops Azurite and the sandbox Graph', async () => {
    const { localDir, ports, env, stops, options } = await setup();
    await occupy(ports.SANDBOX_PBX_PORT);
    await expect(startLocalConnector(env, stops, options)).rejects.toThrow(
      `port ${ports.SANDBOX_PBX_PORT} is in use (SANDBOX_PBX_PORT); stop what uses it or set SANDBOX_PBX_PORT=<free port>`,
    );
    expect(existsSync(join(localDir, 'azurite.json'))).toBe(false);
    for (const port of [ports.AZURITE_TABLE_PORT, ports.SANDBOX_GRAPH_PORT]) expect(await portIsFree(port), `port ${port}`).toBe(true);
  });

  it('SANDBOX_PBX=3cx runs the demo against the 3CX simulator (users; groups stay off on 3CX)', async () => {
    const { env, stops, logs, options } = await setup();
    await startLocalConnector({ ...env, SANDBOX_PBX: '3cx' }, stops, options);
    expect(logs.some((line) => line.startsWith('first sync of demo (users): succeeded'))).toBe(true);
    expect(logs.some((line) => line.includes('(groups)'))).toBe(false);
    // 3CX has a company phonebook, but XAPI writes neither personal contacts nor pictures.
    expect(logs.some((line) => line.startsWith('first sync of demo (phonebook): succeeded'))).toBe(true);
    expect(logs.some((line) => line.includes('(personalContacts)') || line.includes('(photos)'))).toBe(false);
    expect(logs.some((line) => line.startsWith('pbx       sandbox 3CX V20'))).toBe(true);
    const usersLine = logs.find((line) => line.startsWith('first sync of demo (users)'))!;
    expect(Number(/created (\d+)/.exec(usersLine)?.[1])).toBeGreaterThan(10);
  });

  it('an unknown SANDBOX_PBX fails before anything starts', async () => {
    const { localDir, env, stops, options } = await setup();
    await expect(startLocalConnector({ ...env, SANDBOX_PBX: 'yeastar' }, stops, options)).rejects.toThrow(
      'SANDBOX_PBX must be portsip or 3cx',
    );
    expect(existsSync(join(localDir, 'azurite.json'))).toBe(false);
  });

  it('an invalid port variable fails before anything starts', async () => {
    const { localDir, env, stops, options } = await setup();
    await expect(startLocalConnector({ ...env, SANDBOX_GRAPH_PORT: '99999' }, stops, options)).rejects.toThrow(
      'SANDBOX_GRAPH_PORT must be from 1 to 65535',
    );
    expect(existsSync(join(localDir, 'azurite.json'))).toBe(false);
  });
});

describe('startLocalConnector: the local admin key setting', () => {
  it('LOCAL_ADMIN_KEY=off serves the admin API without a key and says so; another value fails before anything starts', async () => {
    const { localDir, ports, env, stops, logs, options } = await setup();
    await expect(startLocalConnector({ ...env, LOCAL_ADMIN_KEY: 'maybe' }, stops, options)).rejects.toThrow(
      'LOCAL_ADMIN_KEY must be "off" or unset',
    );
    expect(existsSync(join(localDir, 'azurite.json'))).toBe(false);
    const second = new StopStack();
    cleanups.push(() => second.stopAll());
    await startLocalConnector({ ...env, LOCAL_ADMIN_KEY: 'off', CONNECTOR_SANDBOX: 'false' }, second, options);
    expect(logs.some((line) => line.includes('LOCAL_ADMIN_KEY=off'))).toBe(true);
    expect((await fetch(`http://127.0.0.1:${ports.PORT}/api/tenants`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${ports.PORT}/api/tenants`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
  });
});
