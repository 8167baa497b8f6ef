import type { HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { randomBytes } from 'node:crypto';
import { type Services } from '../app/Services';
import { AppError } from '../core/errors/AppError';
import { ensureError } from '../core/errors/ensureError';
import { httpStatusFor } from '../core/errors/httpStatusFor';
import { type Logger } from '../core/logging/Logger';
import { loggerFor } from '../core/logging/loggerFor';
import { CONSOLE_PATH, type ConsoleGate, type ConsoleVisitor, foreignPostReason } from './consoleGate';
import {
  dryRunFromConsole,
  showAudit,
  showHome,
  showRun,
  showRuns,
  showTenant,
  signIn,
  signInAnswer,
  signOut,
  syncNowFromConsole,
} from './consoleHandlers';
import { messageBody, page } from './consolePages';
import { type SafeHtml } from './html';
import { postNewTenant, postSettings, showNewTenant, showSettings } from './settingsHandlers';
import { postGraphSecret, postPbxCredential, showCredentials } from './credentialConsoleHandlers';
import { postDisable, postDisconnect, postEnable, postPause, postResume, showDisconnect, showPause } from './lifecycleConsoleHandlers';

/** What a console handler answers: a page, or a redirect (after a POST: 303, so a reload does not post again). */
export interface ConsoleAnswer {
  status?: number;
  /** The body, or a function of the answer's CSP nonce for a page with its own script or style (the settings form). */
  page?: { title: string; body: SafeHtml | ((nonce: string) => SafeHtml); refreshSeconds?: number | undefined };
  redirect?: string;
  setCookie?: string;
}

/** One request as a console handler sees it: who asks, the posted form (POST), the request's logger. */
export interface ConsoleCall {
  visitor: ConsoleVisitor;
  gate: ConsoleGate;
  form: URLSearchParams;
  log: Logger;
  now: Date;
}

export interface ConsoleRoute {
  name: string;
  /** Below Functions' route prefix (`api`), as the admin routes. */
  route: string;
  methods: HttpMethod[];
  /** `anyone`: reached before signing in (the sign-in itself). Default: operators only. */
  access?: 'anyone';
  /** The largest form body this route takes (default MAX_FORM_BYTES): the settings form carries whole user lists. */
  maxFormBytes?: number;
  handle(services: Services, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer>;
}

/** A form body: URL-encoded, at most this many bytes (a key and a token). */
const MAX_FORM_BYTES = 16 * 1024;
/** The settings form: a tenant's whole configuration, up to PUT tenant's own JSON body limit (user and group lists). */
const MAX_SETTINGS_FORM_BYTES = 256 * 1024;
/** The Microsoft 365 secret form: a certificate PEM of up to 64 KB, URL-encoded (which can triple it). */
const MAX_SECRET_FORM_BYTES = 200 * 1024;

/** A POST route whose form may be larger than a key and a token. */
function largeFormPost(name: string, route: string, maxFormBytes: number, handle: ConsoleRoute['handle']): ConsoleRoute {
  return { name, route, methods: ['POST'], maxFormBytes, handle };
}

/**
 * The operator's console: HTML pages under /api/console. Anonymous to the host (Azure, the local host): a
 * browser must never carry a function key, so the console signs operators in itself (consoleGate.ts).
 */
export const consoleRoutes: ConsoleRoute[] = [
  { name: 'consoleHome', route: 'console', methods: ['GET'], handle: showHome },
  { name: 'consoleSignIn', route: 'console/session', methods: ['POST'], access: 'anyone', handle: signIn },
  { name: 'consoleSignOut', route: 'console/session/delete', methods: ['POST'], handle: signOut },
  // Before console/tenants/{id}: the local host takes the first route that matches (Azure prefers the literal segment anyway).
  { name: 'consoleNewTenant', route: 'console/tenants/new', methods: ['GET'], handle: showNewTenant },
  largeFormPost('consoleNewTenantPost', 'console/tenants/new', MAX_SETTINGS_FORM_BYTES, postNewTenant),
  { name: 'consoleTenant', route: 'console/tenants/{id}', methods: ['GET'], handle: showTenant },
  { name: 'consoleSettings', route: 'console/tenants/{id}/settings', methods: ['GET'], handle: showSettings },
  largeFormPost('consoleSettingsPost', 'console/tenants/{id}/settings', MAX_SETTINGS_FORM_BYTES, postSettings),
  { name: 'consoleSyncNow', route: 'console/tenants/{id}/sync', methods: ['POST'], handle: syncNowFromConsole },
  { name: 'consoleDryRun', route: 'console/tenants/{id}/dry-run', methods: ['POST'], handle: dryRunFromConsole },
  { name: 'consoleCredentials', route: 'console/tenants/{id}/credentials', methods: ['GET'], handle: showCredentials },
  { name: 'consolePbxCredential', route: 'console/tenants/{id}/credentials/pbx', methods: ['POST'], handle: postPbxCredential },
  // A certificate's PEM (private key and chain) runs to a few kilobytes; the API takes up to 64 KB of it.
  largeFormPost('consoleGraphSecret', 'console/tenants/{id}/credentials/graph', MAX_SECRET_FORM_BYTES, postGraphSecret),
  { name: 'consolePause', route: 'console/tenants/{id}/features/{feature}/pause', methods: ['GET'], handle: showPause },
  { name: 'consolePausePost', route: 'console/tenants/{id}/features/{feature}/pause', methods: ['POST'], handle: postPause },
  { name: 'consoleResume', route: 'console/tenants/{id}/features/{feature}/resume', methods: ['POST'], handle: postResume },
  { name: 'consoleDisable', route: 'console/tenants/{id}/disable', methods: ['POST'], handle: postDisable },
  { name: 'consoleEnable', route: 'console/tenants/{id}/enable', methods: ['POST'], handle: postEnable },
  { name: 'consoleDisconnect', route: 'console/tenants/{id}/disconnect', methods: ['GET'], handle: showDisconnect },
  { name: 'consoleDisconnectPost', route: 'console/tenants/{id}/disconnect', methods: ['POST'], handle: postDisconnect },
  { name: 'consoleRuns', route: 'console/tenants/{id}/runs', methods: ['GET'], handle: showRuns },
  { name: 'consoleAudit', route: 'console/tenants/{id}/audit', methods: ['GET'], handle: showAudit },
  { name: 'consoleRun', route: 'console/tenants/{id}/runs/{runId}', methods: ['GET'], handle: showRun },
];

async function readForm(request: HttpRequest, maxBytes: number): Promise<URLSearchParams> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'the console takes HTML form posts only');
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', 'the form is too large');
  return new URLSearchParams(text);
}

/**
 * Headers of every console answer. Script and style run only with this answer's nonce; no framing; nothing
 * cached. Referrer-Policy is `same-origin`, not `no-referrer`: under `no-referrer` browsers send `Origin: null`
 * on form posts, which would make a same-origin post look foreign; `same-origin` still sends no referrer
 * (tenant and run ids are in the URLs) to any other site.
 */
export function securityHeaders(nonce: string): Record<string, string> {
  return {
    'content-security-policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "img-src 'self'",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
  };
}

function toResponse(answer: ConsoleAnswer, nonce: string, visitor: ConsoleVisitor | undefined): HttpResponseInit {
  const headers: Record<string, string> = securityHeaders(nonce);
  if (answer.setCookie) headers['set-cookie'] = answer.setCookie;
  if (answer.redirect) return { status: answer.status ?? 303, headers: { ...headers, location: answer.redirect } };
  const operator = visitor?.kind === 'operator' ? visitor : undefined;
  const content = answer.page!.body;
  const body = page({ ...answer.page!, nonce, operator }, typeof content === 'function' ? content(nonce) : content);
  return { status: answer.status ?? 200, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }, body };
}

const refusal = (status: number, title: string, message: string): ConsoleAnswer => ({
  status,
  page: { title, body: messageBody(title, message) },
});

/** Who may go on: the refusal (closed console, not in the group, signed out, foreign or token-less POST), or undefined. */
async function admit(route: ConsoleRoute, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer | undefined> {
  const { visitor, gate } = call;
  if (visitor.kind === 'closed')
    return refusal(
      403,
      'Console not set up',
      'Turn on App Service Authentication and set CONSOLE_AUTH=appService to use the console here.',
    );
  if (visitor.kind === 'refused')
    return refusal(403, 'Not allowed', `${visitor.user} is signed in but not a member of the group allowed to use the console.`);
  if (request.method === 'POST') {
    const foreign = foreignPostReason(request);
    if (foreign) return refusal(403, 'Refused', `The console does not take ${foreign}.`);
    call.form = await readForm(request, route.maxFormBytes ?? MAX_FORM_BYTES);
  }
  if (route.access === 'anyone') return undefined;
  if (visitor.kind === 'stranger') {
    if (gate.settings.signIn.kind === 'appService')
      return {
        status: 401,
        page: {
          title: 'Sign in',
          body: messageBody('Sign in', 'Sign in with your organisation account to use the console.', {
            href: `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(CONSOLE_PATH)}`,
            text: 'Sign in',
          }),
        },
      };
    return signInAnswer(gate, request, { status: route.name === 'consoleHome' ? 200 : 401 });
  }
  if (request.method === 'POST' && !gate.checkCsrf(visitor, call.form.get('csrf')))
    return refusal(
      403,
      'Refused',
      'The form’s security token is missing or wrong (the page may be too old): go back, reload it and try again.',
    );
  return undefined;
}

/** Wraps a console route: sign-in and CSRF checks, security headers, errors as pages with the right status. */
export function consoleHandler(route: ConsoleRoute, services: () => Promise<Services>, gate: () => ConsoleGate) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const log = loggerFor(context).with({ tenant: request.params.id });
    const nonce = randomBytes(16).toString('base64');
    let visitor: ConsoleVisitor | undefined;
    try {
      const now = new Date();
      const call: ConsoleCall = {
        visitor: (visitor = gate().identify(request, now.getTime())),
        gate: gate(),
        form: new URLSearchParams(),
        log,
        now,
      };
      const answer = (await admit(route, request, call)) ?? (await route.handle(await services(), request, call));
      return toResponse(answer, nonce, visitor);
    } catch (err) {
      const status = httpStatusFor(err);
      // Our own messages (AppError below 500) say what to fix; anything else is logged, not shown.
      if (status >= 500) log.error('console request failed', { error: ensureError(err).message });
      const message =
        err instanceof AppError && status < 500 ? err.message : 'Something went wrong on the server; the log has the details.';
      return toResponse(refusal(status, status === 404 ? 'Not found' : 'Could not do that', message), nonce, visitor);
    }
  };
}
