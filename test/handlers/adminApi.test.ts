import { TableClient } from '@azure/data-tables';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { adminHandler, adminRoutes } from '../../shared/admin/adminRoutes';
import { type Services } from '../../shared/app/Services';
import { subscriptionRecord } from '../support/subscriptionRecord';
import { testStorageConnectionString } from '../support/storage';
import { createTestServices } from '../support/testServices';

let services: Services;
let prefix: string;
beforeAll(async () => {
  const created = await createTestServices();
  services = created;
  prefix = created.tablePrefix;
});

const routeFor = (name: string) => adminRoutes.find((r) => r.name === name)!;

async function call(
  name: string,
  init: { method: string; params?: Record<string, string>; query?: string; body?: string; headers?: Record<string, string> },
) {
  const request = new HttpRequest({
    method: init.method,
    url: `http://localhost:7071/api/x${init.query ? `?${init.query}` : ''}`,
    params: init.params ?? {},
    headers: init.headers ?? (init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(init.body !== undefined ? { body: { string: init.body } } : {}),
  });
  const response = await adminHandler(routeFor(name), async () => services)(
    request,
    new InvocationContext({ functionName: name, invocationId: 'test' }),
  );
  return {
    status: response.status ?? 200,
    body: response.jsonBody as Record<string, any>,
    headers: response.headers as Record<string, string> | undefined,
  };
}

const validTenant = {
  displayName: 'Contoso',
  microsoft365: {
    directoryId: '11111111-2222-3333-4444-555555555555',
    applicationId: '66666666-7777-8888-9999-000000000000',
    auth: { kind: 'certificate' },
  },
  pbx: { kind: 'portsip', baseUrl: 'https://pbx.contoso.com:8887', domain: 'contoso.pbx' },
};

describe('admin API handlers', () => {
  it('creates a tenant (201), reads it back with defaults applied, and replaces it (200)', async () => {
    const created = await call('putTenant', { method: 'PUT', params: { id: 'contoso' }, body: JSON.stringify(validTenant) });
    expect(created.status).toBe(201);
    expect(created.body.config.users).toMatchObject({
      scope: { mode: 'ALL' },
      onSoftDeleted: 'disable',
      onHardDeleted: 'delete',
      numbering: { mode: 'fromStart', start: '1000', quarantineDays: 30 },
    });
    const read = await call('getTenant', { method: 'GET', params: { id: 'contoso' } });
    expect(read.status).toBe(200);
    expect(read.body.config.displayName).toBe('Contoso');
    const replaced = await call('putTenant', {
      method: 'PUT',
      params: { id: 'contoso' },
      body: JSON.stringify({ ...validTenant, displayName: 'Contoso Ltd' }),
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.config.displayName).toBe('Contoso Ltd');
  });

  it('answers a dry run for a tenant whose certificate is not written with 409 NOT_READY naming its secret and the route that writes it', async () => {
    await call('putTenant', { method: 'PUT', params: { id: 'no-cert' }, body: JSON.stringify(validTenant) });
    const res = await call('syncTenant', { method: 'POST', params: { id: 'no-cert' }, query: 'dryRun=true' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NOT_READY');
    expect(res.body.error.message).toContain('tenant-no-cert-graph-cert');
    expect(res.body.error.message).toContain('PUT /api/tenants/no-cert/secrets/graph');
  });

  it('refuses a replace with a stale If-Match (412)', async () => {
    await call('putTenant', { method: 'PUT', params: { id: 'etag-test' }, body: JSON.stringify(validTenant) });
    const stale = await call('putTenant', {
      method: 'PUT',
      params: { id: 'etag-test' },
      body: JSON.stringify(validTenant),
      headers: { 'content-type': 'application/json', 'if-match': 'W/"datetime\'2000-01-01T00%3A00%3A00Z\'"' },
    });
    expect(stale.status).toBe(412);
  });

  it('lists every bad field of an invalid tenant with 422', async () => {
    const bad = {
      ...validTenant,
      microsoft365: { ...validTenant.microsoft365, directoryId: 'not-a-guid' },
      users: { scope: { mode: 'GROUPS', groups: [] }, numbering: { mode: 'fromStart', start: '0123' } },
    };
    const res = await call('putTenant', { method: 'PUT', params: { id: 'bad' }, body: JSON.stringify(bad) });
    expect(res.status).toBe(422);
    const paths = (res.body.error.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['microsoft365.directoryId', 'users.scope.groups', 'users.numbering.start']));
    expect(await services.tenants.get('bad')).toBeNull();
  });

  it('takes a groups section and names each bad groups field with 422', async () => {
    const groups = { enabled: true, scope: { mode: 'CHOSEN', groups: ['9b2f6a1c-0d4e-4b8f-a1c2-3d4e5f6a7b8c'] }, membership: 'TRANSITIVE' };
    const ok = await call('putTenant', { method: 'PUT', params: { id: 'with-groups' }, body: JSON.stringify({ ...validTenant, groups }) });
    expect(ok.status).toBe(201);
    expect((await services.tenants.get('with-groups'))!.config.groups).toEqual({ ...groups, onDeleted: 'delete', onOutOfScope: 'delete' });
    const bad = {
      ...validTenant,
      groups: { scope: { mode: 'TYPES', types: ['DISTRIBUTION'] }, membership: 'NESTED', onDeleted: 'disable' },
    };
    const res = await call('putTenant', { method: 'PUT', params: { id: 'bad-groups' }, body: JSON.stringify(bad) });
    expect(res.status).toBe(422);
    const paths = (res.body.error.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['groups.scope.types.0', 'groups.membership', 'groups.onDeleted']));
    expect(await services.tenants.get('bad-groups')).toBeNull();
  });

  it('rejects a sandbox auth kind that points at a non-loopback Graph (422)', async () => {
    const res = await call('putTenant', {
      method: 'PUT',
      params: { id: 'sneaky' },
      body: JSON.stringify({
        ...validTenant,
        microsoft365: { ...validTenant.microsoft365, auth: { kind: 'sandbox', graphBaseUrl: 'https://graph.microsoft.com' } },
      }),
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/loopback/);
  });

  it('answers 400 for malformed JSON, 415 for a non-JSON body and 413 for an oversized one', async () => {
    expect((await call('putTenant', { method: 'PUT', params: { id: 'x1' }, body: '{"displayName":' })).status).toBe(400);
    expect(
      (
        await call('putTenant', {
          method: 'PUT',
          params: { id: 'x1' },
          body: 'a=b',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(415);
    expect(
      (await call('putTenant', { method: 'PUT', params: { id: 'x1' }, body: JSON.stringify({ displayName: 'x'.repeat(300_000) }) })).status,
    ).toBe(413);
  });

  it('rejects bad tenant and run ids with 400 and unknown ones with 404', async () => {
    expect((await call('getTenant', { method: 'GET', params: { id: 'Bad Id!' } })).status).toBe(400);
    expect((await call('getTenant', { method: 'GET', params: { id: 'nobody' } })).status).toBe(404);
    expect((await call('syncTenant', { method: 'POST', params: { id: 'nobody' } })).status).toBe(404);
    expect((await call('getRun', { method: 'GET', params: { id: 'contoso', runId: '../../etc' } })).status).toBe(400);
    expect((await call('getRun', { method: 'GET', params: { id: 'contoso', runId: '0000000000001-deadbeef' } })).status).toBe(404);
    expect((await call('listRuns', { method: 'GET', params: { id: 'contoso' }, query: 'limit=0' })).status).toBe(400);
    expect((await call('syncTenant', { method: 'POST', params: { id: 'contoso' }, query: 'dryRun=maybe' })).status).toBe(400);
    expect((await call('syncTenant', { method: 'POST', params: { id: 'contoso' }, query: 'mode=sideways' })).status).toBe(400);
  });

  it('queues a sync: 202 with a run id whose record is readable and listed', async () => {
    const res = await call('syncTenant', { method: 'POST', params: { id: 'contoso' } });
    expect(res.status).toBe(202);
    expect(res.headers?.location).toBe(`/api/tenants/contoso/runs/${res.body.runId}`);
    const run = await call('getRun', { method: 'GET', params: { id: 'contoso', runId: res.body.runId } });
    expect(run.body).toMatchObject({ status: 'queued', trigger: 'manual', mode: 'full' });
    const list = await call('listRuns', { method: 'GET', params: { id: 'contoso' } });
    expect(list.body.value.map((r: { runId: string }) => r.runId)).toContain(res.body.runId);
  });

  it('deletes a tenant (204) and then reports it missing (404)', async () => {
    await call('putTenant', { method: 'PUT', params: { id: 'gone' }, body: JSON.stringify(validTenant) });
    expect((await call('deleteTenant', { method: 'DELETE', params: { id: 'gone' } })).status).toBe(204);
    expect((await call('deleteTenant', { method: 'DELETE', params: { id: 'gone' } })).status).toBe(404);
  });

  it('a PUT queues subscription maintenance for the tenant (message id = its new ETag)', async () => {
    const enqueue = vi.spyOn(services.queue, 'enqueue');
    const created = await call('putTenant', { method: 'PUT', params: { id: 'subs' }, body: JSON.stringify(validTenant) });
    expect(enqueue).toHaveBeenCalledWith(
      expect.objectContaining({ tenantId: 'subs', kind: 'subscriptions', lane: 'directory', action: 'maintain', trigger: 'manual' }),
      { messageId: `maintain:subs:${created.headers!.etag}`.slice(0, 128) },
    );
    enqueue.mockRestore();
  });

  it("lists a tenant's subscriptions without clientState data, and queues maintenance on request (202)", async () => {
    await call('putTenant', { method: 'PUT', params: { id: 'subs-list' }, body: JSON.stringify(validTenant) });
    await services.subscriptions.save(
      subscriptionRecord({ subscriptionId: 'sub-1', tenantId: 'subs-list', directoryId: validTenant.microsoft365.directoryId }),
    );
    const listed = await call('listSubscriptions', { method: 'GET', params: { id: 'subs-list' } });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      notificationsEnabled: false,
      value: [expect.objectContaining({ subscriptionId: 'sub-1', expiresAt: '2026-12-20T00:00:00.000Z' })],
    });
    expect(JSON.stringify(listed.body)).not.toMatch(/clientState/);
    expect((await call('maintainSubscriptions', { method: 'POST', params: { id: 'subs-list' } })).status).toBe(202);
    expect((await call('listSubscriptions', { method: 'GET', params: { id: 'nobody' } })).status).toBe(404);
  });

  it('deleting a tenant whose Graph cannot be reached still forgets its subscriptions (they expire at Graph)', async () => {
    await call('putTenant', { method: 'PUT', params: { id: 'subs-gone' }, body: JSON.stringify(validTenant) });
    await services.subscriptions.save(
      subscriptionRecord({ subscriptionId: 'sub-gone', tenantId: 'subs-gone', directoryId: validTenant.microsoft365.directoryId }),
    );
    expect((await call('deleteTenant', { method: 'DELETE', params: { id: 'subs-gone' } })).status).toBe(204);
    expect(await services.subscriptions.get('sub-gone')).toBeNull();
  });

  it('a stored configuration that no longer validates is listed apart, fixed by PUT and removable by DELETE', async () => {
    const now = new Date().toISOString();
    const raw = TableClient.fromConnectionString(testStorageConnectionString(), `${prefix}tenants`, { allowInsecureConnection: true });
    for (const id of ['broken-a', 'broken-b'])
      await raw.createEntity({
        partitionKey: 'tenant',
        rowKey: id,
        config: JSON.stringify({ displayName: 'x' }),
        createdAt: now,
        updatedAt: now,
      });
    const listed = await call('listTenants', { method: 'GET' });
    expect(listed.status).toBe(200);
    expect(listed.body.invalid.map((i: { id: string }) => i.id)).toEqual(['broken-a', 'broken-b']);
    expect(listed.body.value.length).toBeGreaterThan(0);
    expect((await call('putTenant', { method: 'PUT', params: { id: 'broken-a' }, body: JSON.stringify(validTenant) })).status).toBe(200);
    expect((await call('deleteTenant', { method: 'DELETE', params: { id: 'broken-b' } })).status).toBe(204);
    const after = await call('listTenants', { method: 'GET' });
    expect(after.body.invalid).toBeUndefined();
    expect(after.body.value.map((t: { id: string }) => t.id)).toContain('broken-a');
  });
});
