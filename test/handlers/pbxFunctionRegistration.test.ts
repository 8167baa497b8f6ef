import { beforeAll, describe, expect, it, vi } from 'vitest';
import type * as AzureFunctions from '@azure/functions';

const registered: { name: string; options: Record<string, unknown> }[] = [];

vi.mock('@azure/functions', async (importOriginal) => {
  const actual = await importOriginal<typeof AzureFunctions>();
  return { ...actual, app: { http: (name: string, options: Record<string, unknown>) => void registered.push({ name, options }) } };
});

beforeAll(async () => {
  const file = 'pbxApi';
  await import(`../../functions/${file}`);
});

describe('PBX API registration (what the Functions host will see)', () => {
  it('registers the PBX routes anonymously (their key is checked in code), one method each, under pbx/{tenantId}', () => {
    expect(registered.map((r) => [r.name, r.options.route, r.options.methods, r.options.authLevel])).toEqual([
      ['pbxSync', 'pbx/{tenantId}/sync', ['POST'], 'anonymous'],
      ['pbxStatus', 'pbx/{tenantId}/status', ['GET'], 'anonymous'],
      ['pbxEvents', 'pbx/{tenantId}/events', ['POST'], 'anonymous'],
    ]);
  });
});
