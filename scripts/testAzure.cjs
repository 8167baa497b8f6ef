'use strict';
// Plain CommonJS, like buildIfChanged.cjs: it only sets the environment and starts vitest, so nothing compiles.
/* eslint-disable @typescript-eslint/no-require-imports -- require() is how a .cjs file imports */
const { spawnSync } = require('node:child_process');
const nodePath = require('node:path');

/**
 * @typedef {{ variable: string, service: string, suites: string[], env?: Record<string, string> }} AzureResource
 */

/**
 * What each AZURE_TEST_* variable runs against Azure. A resource's suites are passed only when its variable is
 * set: without it the queue and secret suites would merely skip themselves, and the table suites would run on
 * Azurite, which is `npm test`'s job. The variable names repeat those of test/contracts/azureTestResources.ts:
 * this file cannot import TypeScript.
 * @type {AzureResource[]}
 */
const RESOURCES = [
  { variable: 'AZURE_TEST_SERVICEBUS_NAMESPACE', service: 'Service Bus queue contract suites', suites: ['test/contracts/queue'] },
  { variable: 'AZURE_TEST_KEYVAULT_URI', service: 'Key Vault secret contract suites', suites: ['test/contracts/secrets'] },
  {
    variable: 'AZURE_TEST_TABLES_URI',
    service: 'table store contract suites (test/integration/platform/tables)',
    suites: ['test/contracts/tables', 'test/integration/platform/tables'],
    env: { TABLES_BACKEND: 'azure' },
  },
];

/**
 * Runs the contract suites of every resource the environment names (extra arguments go to vitest) and says, one
 * line each, which were skipped. Nothing named: nothing to run, exit 0. Returns the exit code.
 * @param {string} root
 * @param {string[]} vitestArgs
 * @returns {number}
 */
function testAzure(root, vitestArgs) {
  const named = RESOURCES.filter((resource) => process.env[resource.variable]?.trim());
  for (const resource of RESOURCES)
    if (!named.includes(resource))
      process.stderr.write(`skipped: ${resource.service} against Azure (set ${resource.variable} and sign in to run them)\n`);
  if (named.length === 0) {
    process.stderr.write('no AZURE_TEST_* variable is set: nothing to run against Azure\n');
    return 0;
  }
  const vitest = nodePath.join(nodePath.dirname(require.resolve('vitest/package.json', { paths: [root] })), 'vitest.mjs');
  const suites = named.flatMap((resource) => resource.suites);
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env };
  for (const resource of named) Object.assign(env, resource.env);
  const result = spawnSync(process.execPath, [vitest, 'run', ...suites, ...vitestArgs], { cwd: root, env, stdio: 'inherit' });
  return result.status ?? 1;
}

process.exitCode = testAzure(nodePath.resolve(__dirname, '..'), process.argv.slice(2));
