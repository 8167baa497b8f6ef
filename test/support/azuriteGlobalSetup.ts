import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { startAzurite } from '../../shared/platform/local/startAzurite';

declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
  }
}

/**
 * One real Azurite Table service for the whole test run, in memory (nothing of a test run is worth keeping, and
 * saving the growing database to disk over and over costs the whole suite time); tests isolate themselves with
 * unique table prefixes.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const azurite = await startAzurite({ inMemory: true });
  project.provide('storageConnectionString', azurite.connectionString);
  return () => azurite.stop();
}
