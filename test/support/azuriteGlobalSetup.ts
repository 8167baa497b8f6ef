import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { startAzurite } from '../../shared/platform/local/startAzurite';

declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
  }
}

/** One real Azurite Table service for the whole test run; tests isolate themselves with unique table prefixes. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const azurite = await startAzurite();
  project.provide('storageConnectionString', azurite.connectionString);
  return () => azurite.stop();
}
