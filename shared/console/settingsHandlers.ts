import { HttpRequest } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import { type Services } from '../app/Services';
import { type TenantRecord } from '../app/TenantStore';
import { TenantIdSchema } from '../config/TenantConfig';
import { type FieldIssue, zodIssues } from '../config/formatZodIssues';
import { TenantConfigRequestSchema } from '../config/tenantConfigInputSchemas';
import { AppError, isAppError } from '../core/errors/AppError';
import { ensureError } from '../core/errors/ensureError';
import { httpStatusFor } from '../core/errors/httpStatusFor';
import { tenantIdParam } from '../admin/pathParams';
import { redactSecrets, restoreRedactedSecrets } from '../admin/redactSecrets';
import { type SyncTenantDeps, dryRunTenant } from '../admin/syncHandlers';
import { putTenant } from '../admin/tenantHandlers';
import { CONSOLE_PATH } from './consoleGate';
import { type ConsoleAnswer, type ConsoleCall } from './consoleRoutes';
import { defaultSettings, parseSettingsForm, settingsFormValues } from './settingsForm';
import { type SettingsPreview, type SettingsView, settingsBody } from './settingsPages';
import { auditFromConsole } from './consoleHandlers';

/** What the settings pages use: PUT tenant's dependencies (validation, store, subscription upkeep, polling) and the dry run's. */
export type SettingsDeps = Parameters<typeof putTenant>[0] & SyncTenantDeps & Pick<Services, 'audit'>;

const tenantPath = (id: string) => `${CONSOLE_PATH}/tenants/${encodeURIComponent(id)}`;
/** The features a settings preview dry-runs: the directory ones whose plan reads as created / updated / disabled / deleted. */
const PREVIEWED_FEATURES = new Set(['users', 'groups']);
/** The console's own page: a tenant with this id would be shadowed by the new-tenant form, so the console does not create one. */
const RESERVED_TENANT_ID = 'new';
/** What the tenant page says after a save, by the redirect's `notice` (fixed texts: nothing from the URL is shown). */

function operatorOf(call: ConsoleCall) {
  if (call.visitor.kind !== 'operator') throw new AppError('UNAUTHORIZED', 'sign in first');
  return call.visitor;
}

function settingsAnswer(status: number, title: string, view: SettingsView): ConsoleAnswer {
  return { status, page: { title, body: (nonce) => settingsBody(view, nonce) } };
}

const titleOf = (id: string | undefined) => (id === undefined ? 'New tenant' : `Settings of ${id}`);

/** GET /console/tenants/{id}/settings — the form filled with the stored configuration (secret values redacted, as the API shows them). */
export async function showSettings(services: Pick<Services, 'tenants'>, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const operator = operatorOf(call);
  const id = tenantIdParam(request);
  const tenant = await services.tenants.get(id);
  if (!tenant) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  return settingsAnswer(200, titleOf(id), {
    tenantId: id,
    newTenantId: '',
    values: settingsFormValues(redactSecrets(tenant.config)),
    issues: [],
    etag: tenant.etag,
    csrfToken: operator.csrfToken,
    conflict: false,
    preview: undefined,
  });
}

/** GET /console/tenants/new — an empty form (the schema's defaults) with a tenant id field. */
export async function showNewTenant(_services: unknown, _request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const operator = operatorOf(call);
  return settingsAnswer(200, titleOf(undefined), {
    tenantId: undefined,
    newTenantId: '',
    values: settingsFormValues(defaultSettings()),
    issues: [],
    etag: '',
    csrfToken: operator.csrfToken,
    conflict: false,
    preview: undefined,
  });
}

/** POST /console/tenants/{id}/settings (form: the fields, `etag`, `action` = preview | save, `csrf`). */
export async function postSettings(services: SettingsDeps, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const id = tenantIdParam(request);
  const stored = await services.tenants.get(id);
  if (!stored) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  return settingsPost(services, request, call, { id, stored });
}

/** POST /console/tenants/new (form: `tenantId`, the fields, `action`, `csrf`) — creates through PUT tenant after a preview or at once. */
export async function postNewTenant(services: SettingsDeps, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const typed = (call.form.get('tenantId') ?? '').trim();
  const issues: FieldIssue[] = [];
  const valid = TenantIdSchema.safeParse(typed);
  if (!valid.success) issues.push({ path: 'tenantId', message: valid.error.issues[0]!.message });
  else if (typed === RESERVED_TENANT_ID)
    issues.push({ path: 'tenantId', message: `"${RESERVED_TENANT_ID}" is the console's own page: choose another id` });
  else if (await services.tenants.get(typed).catch(() => 'invalid'))
    issues.push({ path: 'tenantId', message: 'a tenant with this id exists already: open its settings to change it' });
  return settingsPost(services, request, call, { id: valid.success ? typed : undefined, stored: null, idIssues: issues, typedId: typed });
}

interface SettingsTarget {
  /** The tenant the form is for; undefined when a new tenant's id is not valid yet. */
  id: string | undefined;
  stored: TenantRecord | null;
  idIssues?: FieldIssue[];
  typedId?: string;
}

async function settingsPost(
  services: SettingsDeps,
  request: HttpRequest,
  call: ConsoleCall,
  target: SettingsTarget,
): Promise<ConsoleAnswer> {
  const operator = operatorOf(call);
  const { form } = call;
  const action = form.get('action');
  if (action !== 'preview' && action !== 'save') throw new AppError('INVALID', 'the form must be sent with Preview or Save');
  const isNew = target.stored === null;
  const view: SettingsView = {
    tenantId: isNew ? undefined : target.id,
    newTenantId: target.typedId ?? '',
    values: form,
    issues: [...(target.idIssues ?? [])],
    etag: form.get('etag') ?? '',
    csrfToken: operator.csrfToken,
    conflict: false,
    preview: undefined,
  };
  const title = titleOf(view.tenantId);
  const parsed = parseSettingsForm(form);
  view.issues.push(...parsed.issues);
  // Validated exactly as PUT /api/tenants/{id} validates its body (migration, then TenantConfigSchema), after
  // putting back any secret the form showed as "***"; the save below goes through PUT itself.
  let candidate: unknown;
  try {
    candidate = restoreRedactedSecrets(parsed.config, target.stored?.config);
  } catch (err) {
    view.issues.push(...detailsOf(err));
  }
  const result = TenantConfigRequestSchema.safeParse(candidate ?? parsed.config);
  if (!result.success) view.issues.push(...zodIssues(result.error));
  if (view.issues.length > 0 || !result.success || target.id === undefined) return settingsAnswer(422, title, view);

  if (action === 'preview') {
    const now = new Date().toISOString();
    // A record of the candidate, saved nowhere. Its ETag is its own, so the connector cache (keyed by ETag)
    // never hands this preview the stored configuration's connectors, nor a later run this preview's.
    const record: TenantRecord = {
      id: target.id,
      config: result.data,
      etag: `console-preview-${randomUUID()}`,
      createdAt: target.stored?.createdAt ?? now,
      updatedAt: now,
    };
    view.preview = await previewOf(services, record, call);
    return settingsAnswer(200, title, view);
  }

  if (!isNew && !view.etag) {
    view.conflict = true;
    return settingsAnswer(409, title, view);
  }
  const put = new HttpRequest({
    method: 'PUT',
    url: `${new URL(request.url).origin}/api/tenants/${encodeURIComponent(target.id)}`,
    params: { id: target.id },
    headers: { 'content-type': 'application/json', ...(isNew ? {} : { 'if-match': view.etag }) },
    body: { string: JSON.stringify(parsed.config) },
  });
  try {
    await putTenant(services, put);
  } catch (err) {
    if (isAppError(err, 'PRECONDITION_FAILED')) {
      view.conflict = true;
      return settingsAnswer(409, title, view);
    }
    const details = detailsOf(err);
    if (details.length === 0) throw err;
    view.issues.push(...details);
    return settingsAnswer(422, title, view);
  }
  call.log.info('tenant settings saved from the console', { tenant: target.id, user: operator.user, created: isNew });
  await auditFromConsole(services, call, target.id, isNew ? 'tenant.create' : 'tenant.update', {});
  return { redirect: `${tenantPath(target.id)}?notice=${isNew ? 'created' : 'saved'}` };
}

/** The field issues of a 422 from PUT tenant's path (its details), or none for any other error. */
function detailsOf(err: unknown): FieldIssue[] {
  if (!isAppError(err, 'UNPROCESSABLE')) return [];
  const details = (err as AppError & { details?: unknown }).details;
  return Array.isArray(details)
    ? details.filter((d): d is FieldIssue => typeof d === 'object' && d !== null && typeof (d as FieldIssue).path === 'string')
    : [{ path: '(root)', message: err.message }];
}

/** The dry run of users (and groups when on) with the candidate configuration; a failure becomes a message, not an error page. */
async function previewOf(services: SettingsDeps, record: TenantRecord, call: ConsoleCall): Promise<SettingsPreview> {
  if (!record.config.enabled) return { kind: 'none', message: 'The tenant is off (Enabled is unchecked): a sync would do nothing.' };
  const features = services.features.enabledFor(record.config).filter(({ feature }) => PREVIEWED_FEATURES.has(feature.manifest.name));
  if (features.length === 0) return { kind: 'none', message: 'Users and groups are off: a sync would not change any extension.' };
  try {
    const results = await dryRunTenant(services, record, features, 'full', call.log, true);
    return { kind: 'plan', results };
  } catch (err) {
    const status = httpStatusFor(err);
    if (status >= 500) call.log.error('console settings preview failed', { tenant: record.id, error: ensureError(err).message });
    const why = err instanceof AppError && status < 500 ? err.message : 'something went wrong on the server; the log has the details';
    return { kind: 'none', message: `Could not preview these settings: ${why}.` };
  }
}
