import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { type Services } from '../app/Services';
import { type TenantRecord } from '../app/TenantStore';
import { AppError, isAppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { readJsonBody } from '../core/http/readJsonBody';
import { zodIssues } from '../config/formatZodIssues';
import { describeTenantSecrets, graphSecretFieldByKind, writeGraphSecret, writePbxCredential } from '../platform/secrets/tenantSecrets';
import { allowOnlyQuery, tenantIdParam } from './pathParams';

/**
 * The tenant's secrets, write-only: PUT stores a value under the name the connector derives from the tenant id
 * (tenant-<id>-pbx, tenant-<id>-graph, tenant-<id>-graph-cert) and answers 204; no route ever returns a value.
 * A route acts on its own tenant's names only: the path's tenant id is the one input to the name.
 */
export type SecretHandlerDeps = Pick<Services, 'tenants' | 'secrets'>;

/** `PUT /api/tenants/{id}/secrets/pbx`: a PortSIP tenant admin without two-factor authentication. */
export const PortSipSecretBodySchema = z
  .object({
    username: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
    password: z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
  })
  .strict();

const secretText = (max: number) => z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** `PUT /api/tenants/{id}/secrets/graph`: the one field the tenant's auth kind uses. */
export const GraphSecretBodySchema = z
  .object({
    /** auth kind `clientSecret`: the Entra app's client secret value. */
    clientSecret: secretText(1024).optional(),
    /** auth kind `certificate`: the private key and the certificate, PEM. */
    certificatePem: secretText(64 * 1024).optional(),
    /** auth kind `sandbox`: the sandbox Graph's bearer token. */
    token: secretText(4096).optional(),
    /**
     * auth kind `clientSecret`: when the secret expires (Entra shows it beside the secret), so the status surface
     * warns 30 days before. A certificate's expiry is read from the certificate itself.
     */
    expiresOn: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** The tenant; 404 when it does not exist; NOT_READY when its stored configuration no longer validates. */
export async function existingTenant(deps: Pick<Services, 'tenants'>, id: string): Promise<TenantRecord> {
  let tenant: TenantRecord | null;
  try {
    tenant = await deps.tenants.get(id);
  } catch (err) {
    if (!isAppError(err, 'CONFIG')) throw err;
    throw new AppError(
      'NOT_READY',
      `tenant ${id} has a stored configuration that no longer validates; fix it with PUT /api/tenants/${id} first`,
    );
  }
  if (!tenant) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  return tenant;
}

/** `PUT /api/tenants/{id}/secrets/pbx` for a 3CX PBX: the API client's secret (the client id is in the configuration). */
export const ThreeCxSecretBodySchema = z.object({ clientSecret: secretText(1024) }).strict();

/** A parsed body's fields, or 422 listing every bad field (as readJsonBody answers). */
export function parseSecretFields<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = zodIssues(parsed.error);
  throw new AppError('UNPROCESSABLE', `the body is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
    details: issues,
  });
}

/**
 * Stores the tenant's PBX credential bound to the origin of its current `pbx.baseUrl` (the adapter sends it
 * nowhere else; a later URL change needs it written again). PortSIP: a tenant admin's `{username, password}`;
 * 3CX: the API client's `{clientSecret}`, kept with the configured client id so a changed client id needs the
 * secret written again. 422 for fields the tenant's PBX does not take. The admin API and the console use it.
 */
export async function storePbxSecret(deps: Pick<Services, 'secrets'>, tenant: TenantRecord, fields: unknown): Promise<void> {
  const pbx = tenant.config.pbx;
  if (pbx.kind === '3cx') {
    const body = parseSecretFields(ThreeCxSecretBodySchema, fields);
    await writePbxCredential(deps.secrets, tenant.id, pbx.baseUrl, { username: pbx.clientId, password: body.clientSecret });
  } else await writePbxCredential(deps.secrets, tenant.id, pbx.baseUrl, parseSecretFields(PortSipSecretBodySchema, fields));
}

/** PUT …/secrets/pbx: storePbxSecret with the JSON body. 204. */
export async function putPbxSecret(deps: SecretHandlerDeps, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  const tenant = await existingTenant(deps, id);
  await storePbxSecret(deps, tenant, await readJsonBody(request, z.unknown()));
  return { status: 204 };
}

export type GraphSecretBody = z.infer<typeof GraphSecretBodySchema>;

/**
 * Stores the Graph secret of the tenant's auth kind (client secret with its expiry, certificate PEM, sandbox
 * token): 409 for a kind whose certificate the connector makes itself, 422 for a field the kind does not take or
 * a certificate it cannot sign in with. The admin API and the console use it.
 */
export async function storeGraphSecret(deps: Pick<Services, 'secrets'>, tenant: TenantRecord, body: GraphSecretBody): Promise<void> {
  const id = tenant.id;
  const kind = tenant.config.microsoft365.auth.kind;
  if (kind === 'managedCertificate' || kind === 'sharedApp') {
    const create = kind === 'managedCertificate' ? `POST /api/tenants/${id}/certificate` : 'POST /api/shared-app/certificate';
    throw new AppError(
      'CONFLICT',
      `tenant ${id} signs in with auth kind ${kind}: the connector makes that certificate itself, so there is no Graph secret to write (${create})`,
    );
  }
  const field = graphSecretFieldByKind[kind];
  const allowed: string[] = kind === 'clientSecret' ? [field, 'expiresOn'] : [field];
  const others = Object.keys(body).filter((key) => !allowed.includes(key) && body[key as keyof GraphSecretBody] !== undefined);
  const value = body[field];
  if (value === undefined || others.length > 0) {
    const extra = kind === 'clientSecret' ? ', "expiresOn": "…"' : '';
    const message = `tenant ${id} signs in to Graph with auth kind ${kind}: send only {"${field}": "…"${extra}}`;
    throw new AppError('UNPROCESSABLE', `the body is invalid: ${message}`, {
      details: [{ path: value === undefined ? field : (others[0] ?? field), message }],
    });
  }
  if (kind === 'certificate') assertPemCertificateWithKey(value);
  await writeGraphSecret(deps.secrets, id, kind, value, body.expiresOn ? { expiresOn: new Date(body.expiresOn) } : {});
}

/** PUT …/secrets/graph: storeGraphSecret with the JSON body. 204. */
export async function putGraphSecret(deps: SecretHandlerDeps, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  const body = await readJsonBody(request, GraphSecretBodySchema);
  await storeGraphSecret(deps, await existingTenant(deps, id), body);
  return { status: 204 };
}

/** GET …/secrets: which of the tenant's secrets exist, when written, and (PBX) for which origin. Never a value. */
export async function listSecrets(deps: SecretHandlerDeps, request: HttpRequest): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  allowOnlyQuery(request, []);
  const tenant = await existingTenant(deps, id);
  const value = await describeTenantSecrets(deps.secrets, id, {
    pbxBaseUrl: tenant.config.pbx.baseUrl,
    graphAuthKind: tenant.config.microsoft365.auth.kind,
  });
  return json(200, { value });
}

/** A certificate the connector cannot sign in with is refused now (422), not at the next sync; the text is never quoted. */
function assertPemCertificateWithKey(pem: string): void {
  try {
    createPrivateKey(pem);
    new X509Certificate(pem);
  } catch {
    const message = 'must be PEM text holding both the private key and the certificate';
    throw new AppError('UNPROCESSABLE', `the body is invalid: certificatePem: ${message}`, {
      details: [{ path: 'certificatePem', message }],
    });
  }
}
