import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { randomBytes } from 'node:crypto';
import { type Services } from '../app/Services';
import { requireSharedApp } from '../app/resolveGraphSignIn';
import { AppError, isAppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { type Logger } from '../core/logging/Logger';
import { readConsentState, signConsentState } from '../credentials/consentState';
import { allowOnlyQuery, tenantIdParam } from './pathParams';
import { existingTenant } from './secretHandlers';

export type ConsentHandlerDeps = Pick<Services, 'tenants' | 'secrets' | 'credentialStates' | 'sharedApp' | 'graphEndpoints'>;

/** The connector's key for signing consent states; made on first use and kept in the secret store. */
const CONSENT_KEY_SECRET = 'connector-consent-state-key';

async function consentKey(deps: Pick<Services, 'secrets'>): Promise<Buffer> {
  try {
    return Buffer.from(await deps.secrets.getSecret(CONSENT_KEY_SECRET), 'base64');
  } catch (err) {
    if (!isAppError(err, 'NOT_FOUND')) throw err;
  }
  await deps.secrets.setSecret(CONSENT_KEY_SECRET, randomBytes(32).toString('base64'));
  // Read back: when two instances race, both use whichever write landed last.
  return Buffer.from(await deps.secrets.getSecret(CONSENT_KEY_SECRET), 'base64');
}

/**
 * GET …/consent: the admin-consent URL to send the customer's admin (auth kind `sharedApp`), and whether consent
 * is recorded. The URL goes to the customer's own directory, so only its admin can grant it.
 */
export async function getConsent(deps: ConsentHandlerDeps, request: HttpRequest): Promise<HttpResponseInit> {
  allowOnlyQuery(request, []);
  const tenant = await existingTenant(deps, tenantIdParam(request));
  if (tenant.config.microsoft365.auth.kind !== 'sharedApp') {
    throw new AppError(
      'CONFLICT',
      `tenant ${tenant.id} uses its own app registration (auth kind ${tenant.config.microsoft365.auth.kind}): there is nothing to consent to`,
    );
  }
  const app = requireSharedApp(deps.sharedApp, tenant.config);
  if (!app.consentRedirectUrl) {
    throw new AppError('NOT_READY', 'set PUBLIC_BASE_URL: Entra sends the admin back to <PUBLIC_BASE_URL>/api/consent/callback');
  }
  const { directoryId, nationalCloud } = tenant.config.microsoft365;
  const state = signConsentState(await consentKey(deps), { tenantId: tenant.id, directoryId, now: new Date() });
  const url = new URL(`${deps.graphEndpoints(nationalCloud).authorityHost}/${directoryId}/adminconsent`);
  url.searchParams.set('client_id', app.clientId);
  url.searchParams.set('redirect_uri', app.consentRedirectUrl);
  url.searchParams.set('state', state);
  const consent = (await deps.credentialStates.get(tenant.id))?.state.consent;
  const current = consent?.directoryId === directoryId ? consent : undefined;
  return json(200, {
    consentUrl: url.toString(),
    redirectUri: app.consentRedirectUrl,
    consented: current !== undefined,
    consentedAt: current?.consentedAt,
  });
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(status: number, title: string, text: string): HttpResponseInit {
  const body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></main></body></html>`;
  return {
    status,
    body,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'", 'Cache-Control': 'no-store' },
  };
}

const CALLBACK_QUERY = ['admin_consent', 'tenant', 'state', 'error', 'error_description', 'error_uri', 'scope'];

/**
 * GET /api/consent/callback (anonymous: Entra redirects the admin's browser here). Records consent only for a
 * state the connector signed, for the tenant and directory it was signed for, and answers a plain page.
 */
export async function consentCallback(deps: ConsentHandlerDeps, request: HttpRequest, log: Logger): Promise<HttpResponseInit> {
  for (const name of request.query.keys()) {
    if (!CALLBACK_QUERY.includes(name)) return page(400, 'Consent not recorded', 'The link carries parameters Entra ID does not send.');
  }
  const stateText = request.query.get('state') ?? '';
  const state = readConsentState(await consentKey(deps), stateText.slice(0, 2048), new Date());
  if (!state.ok) return page(400, 'Consent not recorded', `${state.reason}.`);
  const error = request.query.get('error');
  if (error) {
    log.warn('admin consent was not granted', { tenant: state.tenantId, error: error.slice(0, 64) });
    return page(
      400,
      'Consent not granted',
      `Entra ID answered ${error.slice(0, 64)}: ${(request.query.get('error_description') ?? '').slice(0, 300)}. Ask for a new link and try again.`,
    );
  }
  if (request.query.get('admin_consent')?.toLowerCase() !== 'true') {
    return page(400, 'Consent not recorded', 'Entra ID did not confirm the admin consent.');
  }
  const directoryId = (request.query.get('tenant') ?? '').toLowerCase();
  if (directoryId !== state.directoryId.toLowerCase()) {
    return page(400, 'Consent not recorded', 'The consent was given in another directory than the one this tenant is configured for.');
  }
  const tenant = await deps.tenants.get(state.tenantId);
  if (!tenant || tenant.config.microsoft365.directoryId.toLowerCase() !== directoryId) {
    return page(409, 'Consent not recorded', 'The tenant this link was made for no longer exists or now points at another directory.');
  }
  for (let attempt = 0; ; attempt++) {
    const stored = await deps.credentialStates.get(tenant.id);
    const next = { ...(stored?.state ?? {}), consent: { directoryId: state.directoryId, consentedAt: new Date().toISOString() } };
    try {
      await deps.credentialStates.put(tenant.id, next, stored?.etag);
      break;
    } catch (err) {
      if (!isAppError(err, 'PRECONDITION_FAILED') || attempt >= 2) throw err;
    }
  }
  log.info('admin consent recorded', { tenant: tenant.id });
  return page(
    200,
    'Consent recorded',
    `The connector may now read the directory for ${tenant.config.displayName}. You can close this page.`,
  );
}
