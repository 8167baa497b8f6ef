import { HttpRequest, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApiDocs, type DocumentedOperation, pbxApiDocs } from '../../shared/admin/adminApiDocs';
import { openApiDocument } from '../../shared/admin/openApiDocument';
import { type Services } from '../../shared/app/Services';
import { pbxHandler, pbxRoutes } from '../../shared/pbxApi/pbxRoutes';
import { rotatePbxKey } from '../../shared/pbxApi/rotatePbxKey';
import { GraphSandbox, demoCompany } from '../../sandbox/graph';
import { PortSipSandbox } from '../../sandbox/portsip';
import { expectedTenantConfigs } from '../fixtures/tenantConfigs/expectedTenantConfigs';
import { tenantConfigFixture, tenantConfigFixtureNames } from '../fixtures/tenantConfigs/tenantConfigFixture';
import { type AdminAnswer, adminCaller } from '../support/adminCall';
import { createSandboxTenant } from '../support/sandboxTenant';
import { createTestServices } from '../support/testServices';

/*
 * The OpenAPI description against the real handlers (real HttpRequest / InvocationContext, Azurite tables, the
 * sandbox Graph and PBX): each answer's status must be documented, and its body must parse with the documented
 * zod schema and validate with the document's own JSON Schema; a body the document accepts, the handler accepts.
 */

type JsonSchema = Record<string, unknown>;
interface OpenApiOperation {
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}
const document = openApiDocument() as {
  paths: Record<string, Record<string, OpenApiOperation & { operationId: string }>>;
  components: { schemas: Record<string, JsonSchema> };
};

function operationNamed(name: string): OpenApiOperation {
  for (const item of Object.values(document.paths)) for (const op of Object.values(item)) if (op.operationId === name) return op;
  throw new Error(`no operation ${name} in the document`);
}

/** A schema of the document with its component references put in place (none of them is recursive). */
function resolved(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(resolved);
  if (!schema || typeof schema !== 'object') return schema;
  const ref = (schema as { $ref?: string }).$ref;
  if (ref) return resolved(document.components.schemas[ref.replace('#/components/schemas/', '')]);
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, resolved(value)]));
}

/** Validates with the document's JSON Schema (read back into zod from the JSON, not the schema it was made from). */
function jsonSchemaAccepts(schema: JsonSchema, value: unknown): { ok: boolean; issues: string } {
  const parsed = z.fromJSONSchema(resolved(schema) as JsonSchema).safeParse(value);
  return { ok: parsed.success, issues: parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 5)) };
}

const requestSchemaOf = (name: string) => operationNamed(name).requestBody!.content['application/json']!.schema;

const docs: Record<string, DocumentedOperation> = { ...adminApiDocs, ...pbxApiDocs };

/** The answer is one the description documents, and its body is what the description says, both ways. */
function expectDocumented(name: string, answer: { status: number; body: unknown }): void {
  const documented = docs[name]!.responses[answer.status];
  expect(documented, `${name} answered ${answer.status} ${JSON.stringify(answer.body)}: not a documented status`).toBeDefined();
  if (!documented!.schema) return;
  const parsed = documented!.schema.safeParse(answer.body);
  expect(parsed.success, `${name} ${answer.status}: ${parsed.error?.message} in ${JSON.stringify(answer.body)}`).toBe(true);
  const json = operationNamed(name).responses[String(answer.status)]!.content!['application/json']!.schema;
  const viaJson = jsonSchemaAccepts(json, answer.body);
  expect(viaJson.ok, `${name} ${answer.status} against the document's JSON Schema: ${viaJson.issues}`).toBe(true);
}

let graph: GraphSandbox;
let pbxSandbox: PortSipSandbox;
let services: Services;
let sandbox: Services;
let admin: (name: string, init: Parameters<ReturnType<typeof adminCaller>>[1]) => Promise<AdminAnswer>;
let onSandbox: typeof admin;

beforeAll(async () => {
  services = await createTestServices();
  admin = adminCaller(() => services);
  graph = await GraphSandbox.start({ pageSize: 50 });
  pbxSandbox = await PortSipSandbox.start({ rateLimitPerMinute: 600_000 });
  const { users, groups } = demoCompany();
  graph.seed(users, groups);
  sandbox = (await createSandboxTenant({ graph, pbx: pbxSandbox }, 'demo')).services;
  onSandbox = adminCaller(() => sandbox);
});
afterAll(async () => {
  await graph?.stop();
  await pbxSandbox?.stop();
});

/** A stored fixture as a request body: the version it was stored as written out (a body without one is today's shape). */
function fixtureBody(name: (typeof tenantConfigFixtureNames)[number]): Record<string, unknown> {
  const body = tenantConfigFixture(name);
  return { schemaVersion: 1, ...body };
}

describe('tenants: the documented request schema and the handler agree', () => {
  it.each(tenantConfigFixtureNames)('accepts the stored fixture %s as a body (201), and answers the documented tenant', async (name) => {
    const body = fixtureBody(name);
    const accepted = jsonSchemaAccepts(requestSchemaOf('putTenant'), body);
    expect(accepted.ok, accepted.issues).toBe(true);
    const answer = await admin('putTenant', { method: 'PUT', params: { id: `fx-${name}` }, body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expectDocumented('putTenant', answer);
  });

  it.each(tenantConfigFixtureNames)("accepts the fixture %s in today's shape (201), and again as a replace (200)", async (name) => {
    const body = expectedTenantConfigs[name];
    expect(jsonSchemaAccepts(requestSchemaOf('putTenant'), body).ok).toBe(true);
    const created = await admin('putTenant', { method: 'PUT', params: { id: `now-${name}` }, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expectDocumented('putTenant', created);
    const replaced = await admin('putTenant', { method: 'PUT', params: { id: `now-${name}` }, body });
    expect(replaced.status).toBe(200);
    expectDocumented('putTenant', replaced);
  });

  it.each([
    ['a stored version-1 row sent without its version (taken as today’s shape)', tenantConfigFixture('minimal')],
    ['an empty displayName', { ...expectedTenantConfigs.minimal, displayName: '' }],
    ['no pbx', { ...expectedTenantConfigs.minimal, pbx: undefined }],
    ['an unknown field', { ...expectedTenantConfigs.minimal, colour: 'blue' }],
    ['a version from the future', { ...expectedTenantConfigs.minimal, schemaVersion: 99 }],
  ])('refuses %s: the document calls it invalid, the handler answers 422', async (_what, body) => {
    expect(jsonSchemaAccepts(requestSchemaOf('putTenant'), body).ok).toBe(false);
    const answer = await admin('putTenant', { method: 'PUT', params: { id: 'refused' }, body });
    expect(answer.status).toBe(422);
    expectDocumented('putTenant', answer);
  });

  it('reads a tenant (200), lists them (200), and answers the error body for a missing one (404)', async () => {
    expectDocumented('getTenant', await admin('getTenant', { method: 'GET', params: { id: 'now-full' } }));
    const list = await admin('listTenants', { method: 'GET' });
    expect(list.body.value.length).toBeGreaterThan(0);
    expectDocumented('listTenants', list);
    const missing = await admin('getTenant', { method: 'GET', params: { id: 'no-such-tenant' } });
    expect(missing.status).toBe(404);
    expectDocumented('getTenant', missing);
    const badId = await admin('getTenant', { method: 'GET', params: { id: 'Not_A_Tenant' } });
    expect(badId.status).toBe(400);
    expectDocumented('getTenant', badId);
  });

  it('stores secrets (204) with bodies the document accepts, and refuses (422) one it does not', async () => {
    const pbxBody = { username: 'admin', password: 'secret' };
    expect(jsonSchemaAccepts(requestSchemaOf('putPbxSecret'), pbxBody).ok).toBe(true);
    const stored = await admin('putPbxSecret', { method: 'PUT', params: { id: 'now-minimal' }, body: pbxBody });
    expect(stored.status).toBe(204);
    expectDocumented('putPbxSecret', stored);
    const bad = { username: 'admin' };
    expect(jsonSchemaAccepts(requestSchemaOf('putPbxSecret'), bad).ok).toBe(false);
    expectDocumented('putPbxSecret', await admin('putPbxSecret', { method: 'PUT', params: { id: 'now-minimal' }, body: bad }));
    const token = { token: 'sandbox-token' };
    expect(jsonSchemaAccepts(requestSchemaOf('putGraphSecret'), token).ok).toBe(true);
    const graphSecret = await onSandbox('putGraphSecret', { method: 'PUT', params: { id: 'demo' }, body: { token: graph.token } });
    expect(graphSecret.status).toBe(204);
    expectDocumented('putGraphSecret', graphSecret);
    expectDocumented('listSecrets', await admin('listSecrets', { method: 'GET', params: { id: 'now-minimal' } }));
  });
});

describe('runs, keys and features: each answer is documented', () => {
  it('dry run (200), Sync now (202), the runs, one run and its changes', async () => {
    const dry = await onSandbox('syncTenant', { method: 'POST', params: { id: 'demo' }, query: 'dryRun=true' });
    expect(dry.status, JSON.stringify(dry.body).slice(0, 500)).toBe(200);
    expectDocumented('syncTenant', dry);
    const queued = await onSandbox('syncTenant', { method: 'POST', params: { id: 'demo' }, query: 'feature=users' });
    expect(queued.status).toBe(202);
    expectDocumented('syncTenant', queued);
    const runs = await onSandbox('listRuns', { method: 'GET', params: { id: 'demo' } });
    expect(runs.status).toBe(200);
    expect(runs.body.value.length).toBeGreaterThan(0);
    expectDocumented('listRuns', runs);
    const runId = queued.body.runId as string;
    expectDocumented('getRun', await onSandbox('getRun', { method: 'GET', params: { id: 'demo', runId } }));
    expectDocumented('listRunChanges', await onSandbox('listRunChanges', { method: 'GET', params: { id: 'demo', runId } }));
    const typo = await onSandbox('syncTenant', { method: 'POST', params: { id: 'demo' }, query: 'dryrun=true' });
    expect(typo.status).toBe(400);
    expectDocumented('syncTenant', typo);
  });

  it('issues (201), lists (200) and revokes (204) PBX keys', async () => {
    const created = await onSandbox('createPbxKey', { method: 'POST', params: { id: 'demo' } });
    expect(created.status).toBe(201);
    expectDocumented('createPbxKey', created);
    const listed = await onSandbox('listPbxKeys', { method: 'GET', params: { id: 'demo' } });
    expect(listed.status).toBe(200);
    expectDocumented('listPbxKeys', listed);
    const revoked = await onSandbox('revokePbxKey', { method: 'DELETE', params: { id: 'demo', keyId: created.body.keyId } });
    expect(revoked.status).toBe(204);
    expectDocumented('revokePbxKey', revoked);
  });

  it.each([
    ['getPresenceStatus', 'presence'],
    ['getCallStateStatus', 'call state (the sandbox PBX answers its event URL live)'],
    ['listSubscriptions', 'subscriptions'],
    ['maintainSubscriptions', 'maintenance'],
    ['listQuarantine', 'quarantine'],
    ['listUserAccess', 'user access'],
    ['getGraphCredential', 'the Graph credential'],
    ['getTenantStatus', 'the status'],
  ])('%s (%s)', async (name) => {
    const method = name === 'maintainSubscriptions' ? 'POST' : 'GET';
    const answer = await onSandbox(name, { method, params: { id: 'demo' } });
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
    expectDocumented(name, answer);
  });
});

describe('PBX API: each answer is documented', () => {
  async function pbx(name: string, init: { method: string; query?: string; key?: string; body?: string }) {
    const route = pbxRoutes.find((r) => r.name === name)!;
    const request = new HttpRequest({
      method: init.method,
      url: `http://localhost:7071/api/pbx/demo/x${init.query ? `?${init.query}` : ''}`,
      params: { tenantId: 'demo' },
      headers: {
        ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body ? { body: { string: init.body } } : {}),
    });
    const response = await pbxHandler(route, async () => sandbox)(
      request,
      new InvocationContext({ functionName: name, invocationId: 'test' }),
    );
    return { status: response.status ?? 200, body: response.jsonBody as Record<string, unknown> };
  }

  it('status (200), dry run (200, counts only), events without a listening feature (404), no key (401), wrong method (405)', async () => {
    const key = (await rotatePbxKey(sandbox.pbxKeys, 'demo')).key;
    expectDocumented('pbxStatus', await pbx('pbxStatus', { method: 'GET', key }));
    const dry = await pbx('pbxSync', { method: 'POST', query: 'dryRun=true', key, body: '{}' });
    expect(dry.status).toBe(200);
    expect(dry.body).not.toHaveProperty('plannedActions');
    expectDocumented('pbxSync', dry);
    const events = await pbx('pbxEvents', { method: 'POST', key, body: '{"event_type":"call_start"}' });
    expect(events.status).toBe(404);
    expectDocumented('pbxEvents', events);
    expectDocumented('pbxStatus', await pbx('pbxStatus', { method: 'GET' }));
    expectDocumented('pbxStatus', await pbx('pbxStatus', { method: 'POST', key }));
  });
});
