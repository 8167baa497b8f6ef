import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/admin/openApiDocument';
import { openApiHandler } from '../../shared/admin/openApiHandler';

const request = (method: string) => new HttpRequest({ method, url: 'http://localhost:7071/api/openapi.json' });

describe('GET /api/openapi.json', () => {
  it('answers the description as JSON, cacheable for five minutes', async () => {
    const response = await openApiHandler(request('GET'));
    expect(response.status).toBe(200);
    expect(response.jsonBody).toBe(openApiDocument());
    expect((response.jsonBody as { openapi: string }).openapi).toBe('3.1.0');
    const headers = response.headers as Record<string, string>;
    expect(headers['content-type']).toMatch(/^application\/json\b/);
    expect(headers['cache-control']).toBe('public, max-age=300');
    // What the host sends is what it serializes: plain JSON, no secret in it.
    const text = JSON.stringify(response.jsonBody);
    expect(JSON.parse(text)).toEqual(openApiDocument());
    expect(text).not.toMatch(/pbxk_[A-Za-z0-9_-]{43}/);
  });

  it('refuses another method with 405 and Allow', async () => {
    const response = await openApiHandler(request('POST'));
    expect(response.status).toBe(405);
    expect((response.headers as Record<string, string>).allow).toBe('GET');
    expect(response.jsonBody).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });
});
