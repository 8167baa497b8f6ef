import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startLocalConnector } from '../../scripts/local/startLocalConnector';
import { Logger } from '../../shared/core/logging/Logger';
import { StopStack } from '../../shared/platform/local/StopStack';
import { freePort } from '../../shared/platform/local/startAzurite';

// The console in real headless Chromium against `npm start`'s stack (Azurite, both sandboxes, the demo tenant),
// started in-process on free ports with its own .local folder. CI installs Debian's chromium; without it the
// browser tests fail (a skipped browser test would pass unnoticed).
const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = resolve('test-artifacts/console');

/** One running stack and browser page for a browser test file. */
export interface ConsoleInstance {
  browser: Browser;
  page: Page;
  /** http://127.0.0.1:<port> */
  base: string;
  adminKey: string;
  /** The sandboxes' bases (http://127.0.0.1:<port>), for their /_sandbox controls. */
  graphSandbox: string;
  pbxSandbox: string;
  /** A full-page screenshot into test-artifacts/console/<name>.png. */
  shot(name: string): Promise<Buffer>;
  stop(): Promise<void>;
}

/** Starts `npm start`'s stack in-process on free ports and headless Chromium with one page (call in beforeAll). */
export async function startConsoleInstance(): Promise<ConsoleInstance> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not installed at ${CHROMIUM}: the console's browser test needs it (apt-get install chromium)`);
  mkdirSync(SHOTS, { recursive: true });
  const stops = new StopStack();
  const localDir = mkdtempSync(join(tmpdir(), 'console-browser-'));
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await stops.stopAll();
    rmSync(localDir, { recursive: true, force: true });
  };
  try {
    const distinct = new Set<number>();
    while (distinct.size < 4) distinct.add(await freePort());
    const [PORT, SANDBOX_GRAPH_PORT, SANDBOX_PBX_PORT, AZURITE_TABLE_PORT] = [...distinct].map(String) as [string, string, string, string];
    const [started] = await Promise.all([
      startLocalConnector({ PORT, SANDBOX_GRAPH_PORT, SANDBOX_PBX_PORT, AZURITE_TABLE_PORT }, stops, {
        localDir,
        log: () => undefined,
        logger: Logger.silent(),
      }),
      chromium
        .launch({
          executablePath: CHROMIUM,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        })
        .then((b) => (browser = b)),
    ]);
    const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    return {
      browser: browser!,
      page,
      base: `http://127.0.0.1:${started.ports.PORT}`,
      adminKey: readFileSync(join(localDir, 'admin-key'), 'utf8').trim(),
      graphSandbox: `http://127.0.0.1:${started.ports.SANDBOX_GRAPH_PORT}`,
      pbxSandbox: `http://127.0.0.1:${started.ports.SANDBOX_PBX_PORT}`,
      shot: (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * One stack and browser page for the test file that calls this at its top: started before its tests, stopped
 * after them. Its members are read inside tests (before the stack starts they throw).
 */
export function useConsoleInstance(): ConsoleInstance {
  let instance: ConsoleInstance | undefined;
  beforeAll(async () => {
    instance = await startConsoleInstance();
  }, 60_000);
  afterAll(async () => {
    await instance?.stop();
  });
  const current = (): ConsoleInstance => {
    if (!instance) throw new Error('the console instance is not started: read it inside a test');
    return instance;
  };
  return {
    get browser() {
      return current().browser;
    },
    get page() {
      return current().page;
    },
    get base() {
      return current().base;
    },
    get adminKey() {
      return current().adminKey;
    },
    get graphSandbox() {
      return current().graphSandbox;
    },
    get pbxSandbox() {
      return current().pbxSandbox;
    },
    shot: (name) => current().shot(name),
    stop: () => current().stop(),
  };
}
