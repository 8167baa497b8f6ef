import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { adminRoutes } from './adminRoutes';
import { adminApiDocs, type DocumentedOperation, hostApiDocs, pbxApiDocs } from './adminApiDocs';
import {
  ErrorBodySchema,
  PathParamSchemas,
  PbxKeyCreatedSchema,
  RunSchema,
  SyncDryRunSchema,
  SyncQueuedSchema,
  TenantConfigBodySchema,
  TenantViewSchema,
} from './adminApiSchemas';
import { pbxRoutes } from '../pbxApi/pbxRoutes';

/** The description's own route: anonymous (it holds no secret), registered by functions/openApi.ts and the local host. */
export const openApiRoute = { name: 'openApi', route: 'openapi.json', methods: ['GET' as const] };

/** The liveness route as functions/health.ts registers it (anonymous; not in a route table). */
export const healthRoute = { name: 'health', route: 'health', methods: ['GET', 'HEAD'] };

type JsonSchema = Record<string, unknown>;

/**
 * Schemas answered or taken by several operations, under components/schemas. Each is used in one direction only
 * (request or answer), so one JSON Schema per name is right.
 */
const COMPONENTS = new Map<z.ZodType, { name: string; io: 'input' | 'output' }>([
  [ErrorBodySchema, { name: 'Error', io: 'output' }],
  [TenantConfigBodySchema, { name: 'TenantConfigBody', io: 'input' }],
  [TenantViewSchema, { name: 'Tenant', io: 'output' }],
  [RunSchema, { name: 'Run', io: 'output' }],
  [SyncQueuedSchema, { name: 'SyncQueued', io: 'output' }],
  [SyncDryRunSchema, { name: 'SyncDryRun', io: 'output' }],
  [PbxKeyCreatedSchema, { name: 'PbxKeyCreated', io: 'output' }],
]);

/**
 * JSON Schema (draft 2020-12, OpenAPI 3.1's dialect) of a zod schema: `input` for what a request may send (defaults
 * optional), `output` for what an answer holds. Refinements and transforms zod cannot express become no constraint.
 */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

function schemaRef(schema: z.ZodType, io: 'input' | 'output', used: Set<z.ZodType>): JsonSchema {
  const component = COMPONENTS.get(schema);
  if (component && component.io === io) {
    used.add(schema);
    return { $ref: `#/components/schemas/${component.name}` };
  }
  return jsonSchemaOf(schema, io);
}

/** The `{…}` names of a Functions route, in order (`tenants/{id}/runs/{runId}` → id, runId). */
export function routeParams(route: string): string[] {
  return [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

function parameterOf(name: string, location: 'path' | 'query', schema: z.ZodType): JsonSchema {
  const { description, ...json } = jsonSchemaOf(schema, 'input');
  const required = location === 'path' || !schema.safeParse(undefined).success;
  return { name, in: location, required, ...(description ? { description } : {}), schema: json };
}

function parametersOf(route: string, doc: DocumentedOperation): JsonSchema[] {
  const path = routeParams(route).map((name) => {
    const schema = PathParamSchemas[name];
    if (!schema) throw new Error(`route ${route}: no schema for the path parameter {${name}} in PathParamSchemas`);
    return parameterOf(name, 'path', schema);
  });
  const query = Object.entries(doc.query?.shape ?? {}).map(([name, schema]) => parameterOf(name, 'query', schema as z.ZodType));
  const headers = Object.entries(doc.requestHeaders ?? {}).map(([name, description]) => ({
    name,
    in: 'header',
    required: false,
    description,
    schema: { type: 'string' },
  }));
  return [...path, ...query, ...headers];
}

function operationOf(
  name: string,
  route: string,
  doc: DocumentedOperation,
  security: Record<string, string[]>[],
  used: Set<z.ZodType>,
): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, answer] of Object.entries(doc.responses)) {
    const content: Record<string, JsonSchema> = {};
    if (answer.schema) content[answer.contentType ?? 'application/json'] = { schema: schemaRef(answer.schema, 'output', used) };
    for (const type of answer.files ?? []) content[type] = { schema: { type: 'string', contentMediaType: type } };
    const headers = Object.entries(answer.headers ?? {}).map(([header, description]) => [
      header,
      { description, schema: { type: 'string' } },
    ]);
    responses[status] = {
      description: answer.description,
      ...(headers.length ? { headers: Object.fromEntries(headers) } : {}),
      ...(Object.keys(content).length ? { content } : {}),
    };
  }
  used.add(ErrorBodySchema);
  responses.default = {
    description: 'an unexpected error (500) or an unavailable dependency (503): no internals are shown',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
  const parameters = parametersOf(route, doc);
  return {
    operationId: name,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: doc.tags,
    security,
    ...(parameters.length ? { parameters } : {}),
    ...(doc.body
      ? {
          requestBody: {
            required: doc.bodyRequired ?? true,
            content: { 'application/json': { schema: schemaRef(doc.body, 'input', used) } },
          },
        }
      : {}),
    responses,
  };
}

/** The admin routes need the host's function key (header or ?code=); the PBX routes the tenant's PBX key. */
const FUNCTION_KEY = [{ functionKey: [] }, { functionKeyQuery: [] }];
const PBX_KEY = [{ pbxKey: [] }, { pbxApiKey: [] }];

/** Builds the OpenAPI 3.1 description of the admin API and the PBX API from the route tables and adminApiDocs. */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const used = new Set<z.ZodType>();
  const add = (
    name: string,
    route: string,
    methods: readonly string[],
    doc: DocumentedOperation | undefined,
    security: Record<string, string[]>[],
  ) => {
    if (!doc) throw new Error(`route ${name} (${route}) has no entry in adminApiDocs / pbxApiDocs`);
    const item = (paths[`/${route}`] ??= {});
    for (const method of methods) item[method.toLowerCase()] = operationOf(name, route, doc, security, used);
  };
  for (const route of adminRoutes) {
    add(route.name, route.route, route.methods, adminApiDocs[route.name], route.authLevel === 'anonymous' ? [] : FUNCTION_KEY);
  }
  for (const route of pbxRoutes) add(route.name, route.route, route.methods, pbxApiDocs[route.name], PBX_KEY);
  // HEAD answers as GET without a body; OpenAPI describes it as its own operation, so GET alone stands for both.
  add(healthRoute.name, healthRoute.route, ['GET'], hostApiDocs[healthRoute.name], []);
  paths[`/${openApiRoute.route}`] = {
    get: {
      operationId: openApiRoute.name,
      summary: 'This description (OpenAPI 3.1)',
      tags: ['meta'],
      security: [],
      responses: { 200: { description: 'the OpenAPI document', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  };
  const schemas: Record<string, JsonSchema> = {};
  for (const [schema, { name, io }] of COMPONENTS) if (used.has(schema)) schemas[name] = jsonSchemaOf(schema, io);
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Microsoft 365 → PBX sync connector: admin API and PBX API',
      version,
      description:
        'The admin API (tenants, runs, keys, secrets, certificates; the host function key) and the PBX API (a tenant’s own PBX key). ' +
        'Errors are JSON `{"error": {"code", "message", "details"?}}`; an unknown or repeated query parameter is a 400.',
    },
    servers: [{ url: '/api' }],
    tags: [
      { name: 'tenants' },
      { name: 'runs' },
      { name: 'features' },
      { name: 'pbx-keys' },
      { name: 'secrets and credentials' },
      { name: 'PBX API', description: 'Called by the tenant’s PBX with its PBX key; anonymous to the Functions host.' },
      { name: 'meta' },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key', description: 'the Functions host key' },
        functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code', description: 'the Functions host key, in the query string' },
        pbxKey: { type: 'http', scheme: 'bearer', description: 'the tenant’s PBX API key (pbxk_…)' },
        pbxApiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'the tenant’s PBX API key, instead of Authorization' },
      },
    },
  };
}

/**
 * The connector's version from its package.json, found upward from this file: the source tree has it two folders up,
 * the built one (dist/shared/admin) three; the name check skips any other package.json on the way.
 */
export function connectorVersion(): string {
  let dir = __dirname;
  for (let depth = 0; depth < 5; depth++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'm365-pbx-connector' && pkg.version) return pkg.version;
  }
  return '0.0.0';
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

let cached: Record<string, unknown> | undefined;

/** The description, built once per process (the routes and schemas are static); frozen, so no caller changes it for the next. */
export function openApiDocument(): Record<string, unknown> {
  cached ??= deepFreeze(buildOpenApiDocument(connectorVersion()));
  return cached;
}
