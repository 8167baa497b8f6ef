import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalHttpHost } from '../../../shared/platform/local/LocalHttpHost';

let hosts: LocalHttpHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.map((host) => host.close()));
  hosts = [];
});

async function startHost(): Promise<LocalHttpHost> {
  const host = new LocalHttpHost([
    {
      name: 'getTenant',
      route: 'tenants/{id}',
      methods: ['GET'],
      handler: async (req) => ({ status: 200, jsonBody: { id: req.params.id, url: req.url } }),
    },
  ]);
  await host.listen(0);
  hosts.push(host);
  return host;
}

/** A raw request: node's client sends the path and Host header exactly as given (fetch would refuse them). */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('LocalHttpHost', () => {
  it('decodes path parameters', async () => {
    const host = await startHost();
    const reply = await get(host.port, '/api/tenants/a%20b');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: 'a b' });
  });

  it('answers 400 INVALID to a path that is not valid percent-encoding', async () => {
    const host = await startHost();
    const reply = await get(host.port, '/api/tenants/%E0%A4%A');
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: { code: 'INVALID', message: 'the path /api/tenants/%E0%A4%A is not valid percent-encoding' } });
  });

  it('answers 400 INVALID to a Host header that is not a host', async () => {
    const host = await startHost();
    const reply = await get(host.port, '/api/tenants/t1', { host: '[bad' });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      error: {
        code: 'INVALID',
        message: `the Host header "[bad" is not a valid host; use one of localhost:${host.port}, 127.0.0.1:${host.port}, [::1]:${host.port}`,
      },
    });
  });

  it('still serves the next request on the same host', async () => {
    const host = await startHost();
    await get(host.port, '/api/tenants/t1', { host: '[bad' });
    expect((await get(host.port, '/api/tenants/t1')).status).toBe(200);
  });
});
