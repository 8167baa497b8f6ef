import { type ServerResponse } from 'node:http';
import { type EntraApplication } from './EntraApplication';
import { AdminConsentQuerySchema } from './entraSchemas';

export interface AdminConsentDeps {
  directoryExists(id: string): boolean;
  applicationByAppId(appId: string): EntraApplication | undefined;
  /** Records the admin's Accept. */
  consent(directoryId: string, appId: string): void;
  /** True once when the test asked the next admin to click Cancel. */
  takeDenial(): boolean;
}

/** The sign-in page's error screen: Entra shows the AADSTS message in HTML and does not redirect. */
function sendErrorPage(res: ServerResponse, code: number, message: string): void {
  const escaped = `AADSTS${code}: ${message}`.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body><h1>Sorry, but we're having trouble signing you in.</h1><p id="error">${escaped}</p></body></html>`,
  );
}

/**
 * `GET /{directoryId}/adminconsent` (and `/v2.0/adminconsent`): the admin of `directoryId` grants a multi-tenant
 * app. The sandbox plays the admin clicking Accept (or Cancel after denyNextConsent) and redirects the browser
 * to the app's registered redirect URI, as Entra does.
 */
export function handleAdminConsent(deps: AdminConsentDeps, directoryId: string, url: URL, res: ServerResponse): void {
  const parsed = AdminConsentQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    return sendErrorPage(res, 900144, "The request body must contain the following parameter: 'client_id'.");
  }
  const { client_id: clientId, redirect_uri: redirectUri, state } = parsed.data;
  if (!deps.directoryExists(directoryId)) return sendErrorPage(res, 90002, `Tenant '${directoryId}' not found.`);
  const app = deps.applicationByAppId(clientId);
  if (!app || (!app.multiTenant && app.homeDirectoryId !== directoryId)) {
    return sendErrorPage(res, 700016, `Application with identifier '${clientId}' was not found in the directory '${directoryId}'.`);
  }
  // Without redirect_uri Entra uses the app's first one; a URI the app does not list is refused without redirecting,
  // so a consent link cannot be turned into an open redirector.
  const target = redirectUri ?? app.redirectUris[0];
  if (target === undefined || !app.redirectUris.includes(target)) {
    return sendErrorPage(
      res,
      50011,
      `The redirect URI '${target ?? ''}' specified in the request does not match the redirect URIs configured for the application '${app.appId}'.`,
    );
  }
  const location = new URL(target);
  if (deps.takeDenial()) {
    location.searchParams.set('error', 'access_denied');
    location.searchParams.set('error_description', 'AADSTS65004: User declined to consent to access the app.');
  } else {
    deps.consent(directoryId, app.appId);
    location.searchParams.set('admin_consent', 'True');
  }
  location.searchParams.set('tenant', directoryId);
  if (state !== undefined) location.searchParams.set('state', state);
  res.writeHead(302, { location: location.toString() });
  res.end();
}
