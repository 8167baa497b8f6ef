import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as AzureFunctions from '@azure/functions';
import { describe, expect, it, vi } from 'vitest';
import { adminRoutes } from '../../../shared/admin/adminRoutes';
import { adminApiDocs, hostApiDocs, pbxApiDocs } from '../../../shared/admin/adminApiDocs';
import { buildOpenApiDocument, healthRoute, openApiDocument, openApiRoute, routeParams } from '../../../shared/admin/openApiDocument';
import { pbxRoutes } from '../../../shared/pbxApi/pbxRoutes';

const registered: { name: string; options: Record<string, unknown> }[] = [];

vi.mock('@azure/functions', async (importOriginal) => {
  const actual = await importOriginal<typeof AzureFunctions>();
  return { ...actual, app: { http: (name: string, options: Record<string, unknown>) => void registered.push({ name, options }) } };
});

interface Operation {
  operationId: string;
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

const doc = openApiDocument() as {
  openapi: string;
  info: { version: string };
  servers: unknown;
  paths: Record<string, Record<string, Operation>>;
};
const operation = (route: string, method: string) => doc.paths[`/${route}`]?.[method.toLowerCase()];

describe('the OpenAPI description of the admin and PBX APIs', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    // An ES module: imported dynamically from this CommonJS test.
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const validator = new Validator();
    const result = await validator.validate(openApiDocument());
    if (!result.valid) console.error(JSON.stringify(result.errors, null, 2));
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/api' }]);
  });

  it("carries the connector's version from package.json", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    expect(doc.info.version).toBe(pkg.version);
  });

  it('describes every admin route and method, behind the function key unless the route is anonymous', () => {
    for (const route of adminRoutes) {
      for (const method of route.methods) {
        const op = operation(route.route, method);
        expect(op, `${method} /${route.route} (${route.name})`).toBeDefined();
        expect(op!.operationId).toBe(route.name);
        if (route.authLevel === 'anonymous') expect(op!.security).toEqual([]);
        else expect(op!.security).toContainEqual({ functionKey: [] });
      }
    }
  });

  it('describes every PBX route and method, behind the PBX key', () => {
    for (const route of pbxRoutes) {
      for (const method of route.methods) {
        const op = operation(route.route, method);
        expect(op, `${method} /${route.route} (${route.name})`).toBeDefined();
        expect(op!.operationId).toBe(route.name);
        expect(op!.security).toContainEqual({ pbxKey: [] });
      }
    }
  });

  it('documents only routes that exist, and nothing twice', () => {
    const names = [...adminRoutes, ...pbxRoutes].map((r) => r.name);
    expect(Object.keys(adminApiDocs).filter((name) => !adminRoutes.some((r) => r.name === name))).toEqual([]);
    expect(Object.keys(pbxApiDocs).filter((name) => !pbxRoutes.some((r) => r.name === name))).toEqual([]);
    const operationIds = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(new Set(operationIds).size).toBe(operationIds.length);
    expect(operationIds.sort()).toEqual([...names, openApiRoute.name, healthRoute.name].sort());
    expect(Object.keys(hostApiDocs)).toEqual([healthRoute.name]);
  });

  it('describes the anonymous host routes as their functions register them (health, this description)', async () => {
    for (const file of ['health', 'openApi']) await import(`../../../functions/${file}`);
    const seen = registered.map((r) => [r.name, r.options.route, r.options.methods, r.options.authLevel]);
    expect(seen).toContainEqual([healthRoute.name, healthRoute.route, healthRoute.methods, 'anonymous']);
    expect(seen).toContainEqual([openApiRoute.name, openApiRoute.route, openApiRoute.methods, 'anonymous']);
    expect(operation(healthRoute.route, 'GET')!.security).toEqual([]);
    expect(operation(openApiRoute.route, 'GET')!.security).toEqual([]);
  });

  it('names every path parameter of a route as a required parameter, and each operation answers the error body', () => {
    for (const route of [...adminRoutes, ...pbxRoutes]) {
      for (const method of route.methods) {
        const op = operation(route.route, method)!;
        const inPath = (op.parameters ?? []).filter((p) => p.in === 'path');
        expect(inPath.map((p) => p.name)).toEqual(routeParams(route.route));
        expect(inPath.every((p) => p.required)).toBe(true);
        expect(op.responses.default).toBeDefined();
      }
    }
  });

  it('refuses to describe a route without an entry (so a route added later fails here)', () => {
    const route = { name: 'addedLater', route: 'tenants/{id}/later', methods: ['GET' as const], handle: async () => ({ status: 200 }) };
    adminRoutes.push(route);
    try {
      expect(() => buildOpenApiDocument('0.0.0')).toThrow(/addedLater .* has no entry/);
    } finally {
      adminRoutes.splice(adminRoutes.indexOf(route), 1);
    }
  });

  it('is built once per process', () => {
    expect(openApiDocument()).toBe(openApiDocument());
    expect(Object.isFrozen(openApiDocument())).toBe(true);
  });
});
