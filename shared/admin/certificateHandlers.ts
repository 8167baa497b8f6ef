import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { X509Certificate } from 'node:crypto';
import { type Services } from '../app/Services';
import {
  type GraphCredentialDeps,
  type ManagedCertificateTarget,
  describeGraphCredential,
  describeManagedCertificate,
  ensureCertificate,
  rollManagedCertificate,
  sharedAppCertificateTarget,
  tenantCertificateTarget,
} from '../app/graphCredentials';
import { AppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { type Logger } from '../core/logging/Logger';
import { allowOnlyQuery, booleanQuery, tenantIdParam } from './pathParams';
import { existingTenant } from './secretHandlers';

export type CertificateHandlerDeps = Pick<Services, 'tenants'> & GraphCredentialDeps;

const VERSION = /^[0-9A-Za-z-]{1,64}$/;

/**
 * GET …/certificate: the managed certificate's versions, the one in use, the rollover and its health (JSON); with
 * `format=pem` or `format=cer` the public part of one version (default: the newest valid one, the one to
 * upload) as PEM text or DER, to upload to the app registration. Never the private key.
 */
async function getCertificate(
  deps: CertificateHandlerDeps,
  target: ManagedCertificateTarget,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  allowOnlyQuery(request, ['format', 'version']);
  const format = request.query.get('format') ?? 'json';
  if (!['json', 'pem', 'cer'].includes(format)) throw new AppError('INVALID', 'query parameter format must be json, pem or cer');
  const view = await describeManagedCertificate(deps, target);
  if (view.versions.length === 0) {
    throw new AppError('NOT_FOUND', `the certificate ${target.name} does not exist yet; create it with POST ${target.route}`);
  }
  if (format === 'json') return json(200, view);
  const version = request.query.get('version') ?? view.uploadVersion ?? view.versions[0]!.version;
  if (!VERSION.test(version)) throw new AppError('INVALID', 'query parameter version must be a version id from the JSON view');
  const chosen = view.versions.find((v) => v.version === version);
  if (!chosen) throw new AppError('NOT_FOUND', `the certificate ${target.name} has no version ${version}`);
  const der = await deps.certificates.getCertificateDer(target.name, version);
  const filename = `${target.name}-${chosen.thumbprint}`;
  if (format === 'cer') {
    return {
      status: 200,
      body: der,
      headers: { 'Content-Type': 'application/pkix-cert', 'Content-Disposition': `attachment; filename="${filename}.cer"` },
    };
  }
  return {
    status: 200,
    body: new X509Certificate(der).toString(),
    headers: { 'Content-Type': 'application/x-pem-file', 'Content-Disposition': `attachment; filename="${filename}.pem"` },
  };
}

/** POST …/certificate: creates the certificate when it does not exist (201), else answers it as it is (200). */
async function createCertificate(
  deps: CertificateHandlerDeps,
  target: ManagedCertificateTarget,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  allowOnlyQuery(request, []);
  const { created } = await ensureCertificate(deps, target);
  return json(created ? 201 : 200, await describeManagedCertificate(deps, target), { Location: target.route });
}

/**
 * POST …/certificate/roll: one rollover check now (register the newer version, switch once Entra accepts it,
 * remove the old key); `renew=true` first makes a new version, as Key Vault does at 80% of a version's life.
 */
async function rollCertificateNow(
  deps: CertificateHandlerDeps,
  target: ManagedCertificateTarget,
  request: HttpRequest,
  log: Logger,
): Promise<HttpResponseInit> {
  allowOnlyQuery(request, ['renew']);
  if (booleanQuery(request, 'renew')) await deps.certificates.renewCertificate(target.name);
  const report = await rollManagedCertificate(deps, target, log);
  return json(200, { ...report, certificate: await describeManagedCertificate(deps, target) });
}

const tenantTarget = async (deps: CertificateHandlerDeps, request: HttpRequest) =>
  tenantCertificateTarget(await existingTenant(deps, tenantIdParam(request)));

export const getTenantCertificate = async (deps: CertificateHandlerDeps, request: HttpRequest) =>
  getCertificate(deps, await tenantTarget(deps, request), request);
export const createTenantCertificate = async (deps: CertificateHandlerDeps, request: HttpRequest) =>
  createCertificate(deps, await tenantTarget(deps, request), request);
export const rollTenantCertificate = async (deps: CertificateHandlerDeps, request: HttpRequest, log: Logger) =>
  rollCertificateNow(deps, await tenantTarget(deps, request), request, log);

export const getSharedAppCertificate = (deps: CertificateHandlerDeps, request: HttpRequest) =>
  getCertificate(deps, sharedAppCertificateTarget(deps), request);
export const createSharedAppCertificate = (deps: CertificateHandlerDeps, request: HttpRequest) =>
  createCertificate(deps, sharedAppCertificateTarget(deps), request);
export const rollSharedAppCertificate = (deps: CertificateHandlerDeps, request: HttpRequest, log: Logger) =>
  rollCertificateNow(deps, sharedAppCertificateTarget(deps), request, log);

/** GET …/graph-credential: the health of whatever the tenant signs in to Graph with (days left, what to do). */
export async function getGraphCredential(deps: CertificateHandlerDeps, request: HttpRequest): Promise<HttpResponseInit> {
  allowOnlyQuery(request, []);
  const tenant = await existingTenant(deps, tenantIdParam(request));
  return json(200, await describeGraphCredential(deps, tenant));
}
