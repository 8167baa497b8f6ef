import { HttpRequest } from '@azure/functions';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type * as AzureFunctions from '@azure/functions';
import { healthHandler } from '../../shared/app/healthHandler';

const registered: { name: string; options: Record<string, unknown> }[] = [];

vi.mock('@azure/functions', async (importOriginal) => {
  const actual = await importOriginal<typeof AzureFunctions>();
  return { ...actual, app: { http: (name: string, options: Record<string, unknown>) => void registered.push({ name, options }) } };
});

beforeAll(async () => {
  const file = 'health';
  await import(`../../functions/${file}`);
});

describe('GET /api/health', () => {
  it('is registered anonymously, GET and HEAD only', () => {
    expect(registered.map((r) => [r.name, r.options.route, r.options.methods, r.options.authLevel])).toEqual([
      ['health', 'health', ['GET', 'HEAD'], 'anonymous'],
    ]);
  });

  it('answers 200 {status: ok} and nothing more, never cached; other methods 405', async () => {
    const ok = await healthHandler(new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/health' }));
    expect(ok).toEqual({ status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: { status: 'ok' } });
    const post = await healthHandler(new HttpRequest({ method: 'POST', url: 'http://localhost:7071/api/health' }));
    expect(post.status).toBe(405);
  });
});
