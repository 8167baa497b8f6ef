import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { StoredTenantConfigSchema, TenantConfigRequestSchema } from '../../../shared/config/tenantConfigInputSchemas';
import { httpStatusFor } from '../../../shared/core/errors/httpStatusFor';
import { readJsonBody } from '../../../shared/core/http/readJsonBody';
import { appErrorOf } from '../../support/appErrorOf';
import { tenantConfigFixture, tenantConfigFixtureNames } from '../../fixtures/tenantConfigs/tenantConfigFixture';
import { expectedTenantConfigs } from '../../fixtures/tenantConfigs/expectedTenantConfigs';

const body = {
  displayName: 'Contoso',
  microsoft365: {
    directoryId: '11111111-2222-3333-4444-555555555555',
    applicationId: '66666666-7777-8888-9999-000000000000',
    auth: { kind: 'certificate' },
  },
  pbx: { kind: 'portsip', baseUrl: 'https://pbx.contoso.com:8887', domain: 'contoso.pbx' },
};

const put = (json: unknown) =>
  new HttpRequest({
    method: 'PUT',
    url: 'http://localhost:7071/api/tenants/contoso',
    headers: { 'content-type': 'application/json' },
    body: { string: JSON.stringify(json) },
  });

const issuePaths = (result: { error?: { issues: { path: PropertyKey[] }[] } | undefined }) =>
  result.error?.issues.map((i) => i.path.join('.'));

describe('StoredTenantConfigSchema', () => {
  it.each(tenantConfigFixtureNames)('reads the stored row %s as the current configuration', (name) => {
    expect(StoredTenantConfigSchema.parse(tenantConfigFixture(name))).toEqual(expectedTenantConfigs[name]);
  });

  it('turns a row written by a newer connector into an issue on schemaVersion', () => {
    const result = StoredTenantConfigSchema.safeParse({ ...tenantConfigFixture('minimal'), schemaVersion: 7 });
    expect(issuePaths(result)).toEqual(['schemaVersion']);
    expect(result.error?.issues[0]?.message).toMatch(/^schemaVersion 7 is newer than this connector knows \(4\)/);
  });
});

describe('TenantConfigRequestSchema', () => {
  it('takes a body without schemaVersion as the current version, and answers with it', () => {
    expect(TenantConfigRequestSchema.parse(body).schemaVersion).toBe(4);
    expect(TenantConfigRequestSchema.parse({ ...body, schemaVersion: 4 })).toEqual(TenantConfigRequestSchema.parse(body));
  });

  it('migrates a body written for version 1', () => {
    expect(TenantConfigRequestSchema.parse({ ...body, schemaVersion: 1 })).toEqual(TenantConfigRequestSchema.parse(body));
  });

  it('refuses a body for a newer version with 422 naming the versions', async () => {
    const err = await appErrorOf(readJsonBody(put({ ...body, schemaVersion: 5 }), TenantConfigRequestSchema));
    expect(err.code).toBe('UNPROCESSABLE');
    expect(httpStatusFor(err)).toBe(422);
    expect(err.message).toContain('schemaVersion: schemaVersion 5 is newer than this connector knows (4)');
    expect(err.details).toEqual([expect.objectContaining({ path: 'schemaVersion' })]);
  });

  it('still lists every bad field of a body with a valid version', () => {
    const result = TenantConfigRequestSchema.safeParse({ ...body, schemaVersion: 1, displayName: '', pbx: { ...body.pbx, domain: '' } });
    expect(issuePaths(result)).toEqual(['displayName', 'pbx.domain']);
  });
});

describe('TenantConfigSchema', () => {
  it('refuses an older schemaVersion: those go through the migration, never straight to validation', () => {
    const result = TenantConfigSchema.safeParse({ ...body, schemaVersion: 1 });
    expect(issuePaths(result)).toEqual(['schemaVersion']);
    expect(result.error?.issues[0]?.message).toBe('must be 4 (older versions are migrated first)');
  });

  it('tells PBX products apart by kind', () => {
    const parsed = TenantConfigSchema.parse(body);
    expect(parsed.pbx.kind).toBe('portsip');
    const unknown = TenantConfigSchema.safeParse({ ...body, pbx: { ...body.pbx, kind: 'yeastar' } });
    expect(issuePaths(unknown)).toEqual(['pbx.kind']);
    // 3CX is a kind of its own, with its own fields: a PortSIP body under its kind names what is missing and extra.
    expect(issuePaths(TenantConfigSchema.safeParse({ ...body, pbx: { ...body.pbx, kind: '3cx' } }))).toEqual(['pbx.clientId', 'pbx']);
    const threeCx = TenantConfigSchema.parse({ ...body, pbx: { kind: '3cx', baseUrl: 'https://pbx.contoso.com:5001', clientId: '900' } });
    expect(threeCx.pbx).toEqual({
      kind: '3cx',
      baseUrl: 'https://pbx.contoso.com:5001',
      clientId: '900',
      rateLimitPerMinute: 6000,
      maxConcurrency: 4,
      realtimeShare: 0.2,
    });
    const { kind: _kind, ...withoutKind } = body.pbx;
    expect(issuePaths(TenantConfigSchema.safeParse({ ...body, pbx: withoutKind }))).toEqual(['pbx.kind']);
  });
});
