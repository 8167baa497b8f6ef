/**
 * The table stores' contract suites are `test/integration/platform/tables/*.test.ts`: one per Table*.ts store,
 * each building its stores with `freshStores()`, which runs them on Azurite by default and on real Table
 * Storage under `npm run test:azure` (`TABLES_BACKEND=azure`, `AZURE_TEST_TABLES_URI`). This file keeps that
 * index honest: a store without a suite, or a suite that bypasses the backend choice, fails the build.
 */
import { readFileSync, readdirSync } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = nodePath.resolve(__dirname, '../../..');
const STORES_DIR = nodePath.join(ROOT, 'shared/platform/tables');
const SUITES_DIR = nodePath.join(ROOT, 'test/integration/platform/tables');

/** `TableRunStore.ts` → `RunStore`: the stores that live in the tables folder. */
function storesInFolder(): string[] {
  return readdirSync(STORES_DIR)
    .map((file) => /^Table(\w+)\.ts$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** The stores createTableStores builds (`new TableRunStore(` → `RunStore`). */
function storesBuilt(): string[] {
  const source = readFileSync(nodePath.join(STORES_DIR, 'createTableStores.ts'), 'utf8');
  return [...source.matchAll(/\bnew Table(\w+)\(/g)].map((match) => match[1]!).sort();
}

/** `RunStore` → `tableRunStore.test.ts`. */
const suiteFileOf = (store: string) => `table${store}.test.ts`;

describe('table store contract index', () => {
  it('builds every store of the tables folder in createTableStores, so freshStores() reaches it', () => {
    expect(storesInFolder().length).toBeGreaterThan(0);
    expect(storesBuilt()).toEqual(storesInFolder());
  });

  it('has a contract suite for every store', () => {
    const suites = new Set(readdirSync(SUITES_DIR));
    const missing = storesInFolder().filter((store) => !suites.has(suiteFileOf(store)));
    expect(missing.map(suiteFileOf), 'stores without a suite in test/integration/platform/tables').toEqual([]);
  });

  it('builds the stores of every suite with freshStores(), so each suite runs on both backends', () => {
    const bypassing = storesInFolder()
      .map(suiteFileOf)
      .filter((file) => !readFileSync(nodePath.join(SUITES_DIR, file), 'utf8').includes('freshStores('));
    expect(bypassing, 'suites that do not call freshStores()').toEqual([]);
  });
});
