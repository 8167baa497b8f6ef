import type { HttpRequest } from '@azure/functions';
import { type Services } from '../app/Services';
import { type TenantRecord } from '../app/TenantStore';
import { isAppError } from '../core/errors/AppError';
import { tenantIdParam } from '../admin/pathParams';
import { GraphSecretBodySchema, existingTenant, parseSecretFields, storeGraphSecret, storePbxSecret } from '../admin/secretHandlers';
import { describeTenantSecrets } from '../platform/secrets/tenantSecrets';
import { CONSOLE_PATH } from './consoleGate';
import { auditFromConsole, consoleRequester } from './consoleHandlers';
import { type ConsoleAnswer, type ConsoleCall } from './consoleRoutes';
import { CREDENTIAL_NOTICES, type CredentialFormError, type CredentialsView, credentialsBody } from './credentialPages';

/*
 * The console's credentials page: what is written, and forms that write the PBX credential and the Microsoft 365
 * secret through the same code as PUT …/secrets/pbx and …/secrets/graph (storePbxSecret, storeGraphSecret).
 */

type CredentialDeps = Pick<Services, 'tenants' | 'secrets' | 'audit'>;

const tenantPath = (id: string) => `${CONSOLE_PATH}/tenants/${encodeURIComponent(id)}`;

async function viewOf(services: CredentialDeps, tenant: TenantRecord): Promise<CredentialsView> {
  const { pbx, microsoft365 } = tenant.config;
  return {
    tenantId: tenant.id,
    pbxKind: pbx.kind,
    pbxBaseUrl: pbx.baseUrl,
    graphAuthKind: microsoft365.auth.kind,
    secrets: await describeTenantSecrets(services.secrets, tenant.id, { pbxBaseUrl: pbx.baseUrl, graphAuthKind: microsoft365.auth.kind }),
  };
}

/** GET /console/tenants/{id}/credentials — which secrets are written, and the forms. */
export async function showCredentials(services: CredentialDeps, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const { csrfToken } = consoleRequester(call);
  const tenant = await existingTenant(services, tenantIdParam(request));
  const notice = CREDENTIAL_NOTICES[request.query.get('notice') ?? ''];
  return {
    page: {
      title: `Credentials of ${tenant.id}`,
      body: credentialsBody(await viewOf(services, tenant), csrfToken, notice ? { notice } : {}),
    },
  };
}

/** A form's non-empty text (a cleared field is missing, so the schema says it must not be empty). */
const formText = (form: URLSearchParams, name: string) => form.get(name) ?? '';

/**
 * Writes a secret from a form: the store's own checks (422 listing the fields, a refused certificate) come back
 * as the page with each problem next to its field; the values typed are never put back.
 */
async function writeFromForm(
  services: CredentialDeps,
  request: HttpRequest,
  call: ConsoleCall,
  form: 'pbx' | 'graph',
  write: (tenant: TenantRecord) => Promise<void>,
  kept: Record<string, string>,
): Promise<ConsoleAnswer> {
  const { csrfToken } = consoleRequester(call);
  const tenant = await existingTenant(services, tenantIdParam(request));
  try {
    await write(tenant);
  } catch (err) {
    if (!isAppError(err, 'UNPROCESSABLE') && !isAppError(err, 'CONFLICT')) throw err;
    const details = (err.details as { path?: string; message?: string }[] | undefined) ?? [];
    const error: CredentialFormError = {
      form,
      message: err.message,
      fields: Object.fromEntries(details.filter((d) => d.path && d.message).map((d) => [d.path!.split('.')[0]!, d.message!])),
      kept,
    };
    return {
      status: isAppError(err, 'CONFLICT') ? 409 : 422,
      page: { title: `Credentials of ${tenant.id}`, body: credentialsBody(await viewOf(services, tenant), csrfToken, { error }) },
    };
  }
  await auditFromConsole(services, call, tenant.id, 'secret.write', { credential: form });
  return { redirect: `${tenantPath(tenant.id)}/credentials?notice=${form}` };
}

type CredentialHandler = (services: CredentialDeps, request: HttpRequest, call: ConsoleCall) => Promise<ConsoleAnswer>;

/** A POST of one credential form: `write` stores what the form holds; `kept` the text fields shown again on a refusal. */
function credentialPost(
  form: 'pbx' | 'graph',
  write: (services: CredentialDeps, tenant: TenantRecord, fields: URLSearchParams) => Promise<void>,
  kept: (fields: URLSearchParams) => Record<string, string>,
): CredentialHandler {
  return (services, request, call) =>
    writeFromForm(services, request, call, form, (tenant) => write(services, tenant, call.form), kept(call.form));
}

/** POST /console/tenants/{id}/credentials/pbx — PortSIP: username, password; 3CX: clientSecret. */
export const postPbxCredential = credentialPost(
  'pbx',
  (services, tenant, fields) =>
    storePbxSecret(
      services,
      tenant,
      tenant.config.pbx.kind === '3cx'
        ? { clientSecret: formText(fields, 'clientSecret') }
        : { username: formText(fields, 'username'), password: formText(fields, 'password') },
    ),
  (fields) => ({ username: formText(fields, 'username').slice(0, 256) }),
);

/** A date input's `YYYY-MM-DD` as the ISO time the API takes (the start of that day, UTC); other text as typed. */
function expiryOf(value: string): string | undefined {
  if (value === '') return undefined;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
}

/** The Graph secret fields of the tenant's auth kind, from the form (an empty expiry is none). */
function graphFieldsOf(kind: string, fields: URLSearchParams): Record<string, string> {
  const values: Record<string, string | undefined> =
    kind === 'clientSecret'
      ? { clientSecret: formText(fields, 'clientSecret'), expiresOn: expiryOf(formText(fields, 'expiresOn')) }
      : kind === 'certificate'
        ? { certificatePem: formText(fields, 'certificatePem') }
        : kind === 'sandbox'
          ? { token: formText(fields, 'token') }
          : {};
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** POST /console/tenants/{id}/credentials/graph — the field of the tenant's auth kind (and a client secret's expiry). */
export const postGraphSecret = credentialPost(
  'graph',
  (services, tenant, fields) =>
    storeGraphSecret(
      services,
      tenant,
      parseSecretFields(GraphSecretBodySchema, graphFieldsOf(tenant.config.microsoft365.auth.kind, fields)),
    ),
  (fields) => ({ expiresOn: formText(fields, 'expiresOn').slice(0, 32) }),
);
