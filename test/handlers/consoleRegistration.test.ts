import { beforeAll, describe, expect, it, vi } from 'vitest';
import type * as AzureFunctions from '@azure/functions';

const registered: { name: string; options: Record<string, unknown> }[] = [];

vi.mock('@azure/functions', async (importOriginal) => {
  const actual = await importOriginal<typeof AzureFunctions>();
  return { ...actual, app: { http: (name: string, options: Record<string, unknown>) => void registered.push({ name, options }) } };
});

beforeAll(async () => {
  // As functionRegistrations.test.ts: the entry point loaded the way the Functions host loads it.
  const entry = 'console';
  await import(`../../functions/${entry}`);
});

describe('the console’s function registrations', () => {
  it('registers every page anonymously (the console signs in in code), on explicit routes under console', () => {
    expect(registered.map((r) => [r.options.route, r.options.methods, r.options.authLevel])).toEqual([
      ['console', ['GET'], 'anonymous'],
      ['console/session', ['POST'], 'anonymous'],
      ['console/session/delete', ['POST'], 'anonymous'],
      ['console/tenants/new', ['GET'], 'anonymous'],
      ['console/tenants/new', ['POST'], 'anonymous'],
      ['console/tenants/{id}', ['GET'], 'anonymous'],
      ['console/tenants/{id}/settings', ['GET'], 'anonymous'],
      ['console/tenants/{id}/settings', ['POST'], 'anonymous'],
      ['console/tenants/{id}/sync', ['POST'], 'anonymous'],
      ['console/tenants/{id}/dry-run', ['POST'], 'anonymous'],
      ['console/tenants/{id}/credentials', ['GET'], 'anonymous'],
      ['console/tenants/{id}/credentials/pbx', ['POST'], 'anonymous'],
      ['console/tenants/{id}/credentials/graph', ['POST'], 'anonymous'],
      ['console/tenants/{id}/features/{feature}/pause', ['GET'], 'anonymous'],
      ['console/tenants/{id}/features/{feature}/pause', ['POST'], 'anonymous'],
      ['console/tenants/{id}/features/{feature}/resume', ['POST'], 'anonymous'],
      ['console/tenants/{id}/disable', ['POST'], 'anonymous'],
      ['console/tenants/{id}/enable', ['POST'], 'anonymous'],
      ['console/tenants/{id}/disconnect', ['GET'], 'anonymous'],
      ['console/tenants/{id}/disconnect', ['POST'], 'anonymous'],
      ['console/tenants/{id}/runs', ['GET'], 'anonymous'],
      ['console/tenants/{id}/audit', ['GET'], 'anonymous'],
      ['console/tenants/{id}/runs/{runId}', ['GET'], 'anonymous'],
    ]);
  });
});
