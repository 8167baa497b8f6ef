import type { HttpRequest } from '@azure/functions';
import { type Services } from '../app/Services';
import { AppError } from '../core/errors/AppError';
import { runIdParam, tenantIdParam } from '../admin/pathParams';
import { type SyncTenantDeps, syncNow } from '../admin/syncHandlers';
import { type TenantStatusDeps, buildTenantStatus } from '../admin/tenantStatus';
import { parseRunChangeQuery } from '../engine/parseRunChangeQuery';
import { encodeRunChangeToken } from '../engine/runChangeToken';
import { describeRunProgress } from '../engine/describeRunProgress';
import { CONSOLE_PATH, type ConsoleGate } from './consoleGate';
import {
  TENANT_NOTICES,
  auditBody,
  dryRunBody,
  runBody,
  runsBody,
  signInBody,
  tenantBody,
  tenantsBody,
  type TenantRow,
} from './consolePages';
import { type ConsoleAnswer, type ConsoleCall } from './consoleRoutes';
import { type LifecycleRequester, namedFeature, recordAudit } from '../admin/tenantLifecycle';
import { z } from 'zod';
import { type AuditActor } from '../engine/AuditTrail';

const tenantPath = (id: string) => `${CONSOLE_PATH}/tenants/${encodeURIComponent(id)}`;
/** Runs read to find each tenant's last finished one for the list. */
const RUNS_FOR_LAST = 20;
const RUNS_LISTED = 50;
const CHANGES_PER_PAGE = 50;
/** How often a run's page reloads while the run is queued or running. */
const RUN_REFRESH_SECONDS = 2;

function operatorOf(call: ConsoleCall) {
  if (call.visitor.kind !== 'operator') throw new AppError('UNAUTHORIZED', 'sign in first');
  return call.visitor;
}

/**
 * Who acts from the console, for the audit trail (the App Service principal, or the admin key's holder locally),
 * with the operator's form token for the pages that follow.
 */
export function consoleRequester(call: ConsoleCall): LifecycleRequester & { csrfToken: string } {
  const operator = operatorOf(call);
  const actor: AuditActor =
    operator.signOut === 'appService' ? { kind: 'appService', name: operator.user } : { kind: 'console', name: operator.user };
  return { actor, via: 'console', csrfToken: operator.csrfToken };
}

/** Records what a signed-in person did from the console in the tenant's audit trail. */
export async function auditFromConsole(
  services: Pick<Services, 'audit'>,
  call: ConsoleCall,
  tenantId: string,
  action: string,
  detail: Record<string, unknown>,
): Promise<void> {
  const { actor } = consoleRequester(call);
  await recordAudit(services, { tenantId, actor, action, detail: { ...detail, via: 'console' } }, call.log);
}

/** The sign-in form (with its pre-session cookie when the browser has none yet). */
export function signInAnswer(gate: ConsoleGate, request: HttpRequest, options: { status: number; error?: string }): ConsoleAnswer {
  const form = gate.signInForm(request);
  const keyOff = gate.settings.signIn.kind === 'adminKey' && gate.settings.signIn.adminKey === 'off';
  return {
    status: options.status,
    ...(form.setCookie ? { setCookie: form.setCookie } : {}),
    page: { title: 'Sign in', body: signInBody({ csrfToken: form.csrfToken, error: options.error, keyOff }) },
  };
}

/** POST /console/session (form: `key`, `csrf`) — the admin key, compared in constant time, opens an 8-hour session. */
export async function signIn(_services: unknown, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const { gate, form, now } = call;
  if (gate.settings.signIn.kind !== 'adminKey') throw new AppError('NOT_FOUND', 'this console signs in through App Service Authentication');
  if (!gate.checkSignInCsrf(request, form.get('csrf')))
    return signInAnswer(gate, request, { status: 403, error: 'The sign-in form was too old or not this browser’s: try again.' });
  if (!gate.isAdminKey(form.get('key')))
    return signInAnswer(gate, request, { status: 401, error: 'That is not the admin key. Check .local/admin-key and try again.' });
  return { redirect: CONSOLE_PATH, setCookie: gate.startSession(request, 'local admin', now.getTime()) };
}

/** POST /console/session/delete — ends the session (this process also refuses its cookie from now on). */
export async function signOut(_services: unknown, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const operator = operatorOf(call);
  return { redirect: CONSOLE_PATH, setCookie: call.gate.endSession(request, operator.sessionId, call.now.getTime()) };
}

/** GET /console — the tenants, whether each is on, and how its last run ended. */
export async function showHome(
  services: Pick<Services, 'tenants' | 'runs'>,
  _request: HttpRequest,
  call: ConsoleCall,
): Promise<ConsoleAnswer> {
  operatorOf(call);
  const invalid: string[] = [];
  const tenants = await services.tenants.list({ onInvalid: (id) => invalid.push(id) });
  const rows: TenantRow[] = await Promise.all(
    tenants.map(async (t) => ({
      id: t.id,
      displayName: t.config.displayName,
      enabled: t.config.enabled,
      lastRun: (await services.runs.list(t.id, RUNS_FOR_LAST)).find((r) => !r.dryRun && r.status !== 'queued' && r.status !== 'running'),
    })),
  );
  rows.sort((a, b) => a.id.localeCompare(b.id));
  return { page: { title: 'Tenants', body: tenantsBody(rows, invalid) } };
}

/** GET /console/tenants/{id} — the tenant's status (buildTenantStatus), with Sync now and Dry run. */
export async function showTenant(services: TenantStatusDeps, request: HttpRequest, call: ConsoleCall): Promise<ConsoleAnswer> {
  const operator = operatorOf(call);
  const id = tenantIdParam(request);
  const status = await buildTenantStatus(services, id, call.now);
  if (!status) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  const notice = TENANT_NOTICES[request.query.get('notice') ?? ''];
  return { page: { title: status.tenant.displayName, body: tenantBody(status, operator.csrfToken, notice) } };
}

/** What Sync now and Dry run take from the tenant page's form: one feature or every one in the reconcile, full or delta. */
const SyncFormSchema = z.object({
  feature: z
    .string()
    .max(64)
    .transform((name) => name || undefined),
  mode: z.enum(['full', 'delta'], { error: 'must be full or delta' }),
});

/**
 * A sync of every feature in the tenant's reconcile (or the one chosen), full or delta, or its plan (dry run),
 * recorded as the signed-in person's. A form without the fields (an older page) means every feature, full.
 */
async function syncFromConsole(
  services: SyncTenantDeps & Pick<Services, 'audit'>,
  request: HttpRequest,
  call: ConsoleCall,
  dryRun: boolean,
) {
  operatorOf(call);
  const id = tenantIdParam(request);
  const parsed = SyncFormSchema.safeParse({ feature: call.form.get('feature') ?? '', mode: call.form.get('mode') || 'full' });
  if (!parsed.success)
    throw new AppError(
      'INVALID',
      `the sync form is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  const feature = parsed.data.feature === undefined ? undefined : namedFeature(services, parsed.data.feature).manifest.name;
  const { mode } = parsed.data;
  const answer = await syncNow(services, id, { mode, dryRun, feature }, call.log, (runId) => `${tenantPath(id)}/runs/${runId}`);
  const body = answer.jsonBody as { location?: string; runs?: unknown };
  await auditFromConsole(services, call, id, dryRun ? 'sync.dryRun' : 'sync.now', {
    mode,
    feature: feature ?? 'every feature in the reconcile',
    ...(dryRun ? {} : { runs: body.runs }),
  });
  return { id, body: answer.jsonBody as unknown };
}

/** POST /console/tenants/{id}/sync — "Sync now" (as chosen: every feature in the reconcile or one, full or delta), then to the first run's page. */
export async function syncNowFromConsole(
  services: SyncTenantDeps & Pick<Services, 'audit'>,
  request: HttpRequest,
  call: ConsoleCall,
): Promise<ConsoleAnswer> {
  const { body } = await syncFromConsole(services, request, call, false);
  return { redirect: (body as { location: string }).location };
}

/** POST /console/tenants/{id}/dry-run — the plan of that sync; nothing written. */
export async function dryRunFromConsole(
  services: SyncTenantDeps & Pick<Services, 'audit'>,
  request: HttpRequest,
  call: ConsoleCall,
): Promise<ConsoleAnswer> {
  const { id, body } = await syncFromConsole(services, request, call, true);
  return { page: { title: `Dry run of ${id}`, body: dryRunBody(id, body as Parameters<typeof dryRunBody>[1]) } };
}

/** The route's tenant id, for a signed-in operator, once the tenant is known to exist (404 otherwise). */
async function existingTenantOf(services: Pick<Services, 'tenants'>, request: HttpRequest, call: ConsoleCall): Promise<string> {
  operatorOf(call);
  const id = tenantIdParam(request);
  if (!(await services.tenants.get(id))) throw new AppError('NOT_FOUND', `tenant ${id} does not exist`);
  return id;
}

/** How many audit entries the console's audit page shows. */
const AUDIT_ENTRIES_SHOWN = 100;

/** GET /console/tenants/{id}/audit — who did what to the tenant, newest first. */
export async function showAudit(
  services: Pick<Services, 'tenants' | 'audit'>,
  request: HttpRequest,
  call: ConsoleCall,
): Promise<ConsoleAnswer> {
  const id = await existingTenantOf(services, request, call);
  return { page: { title: `Audit trail of ${id}`, body: auditBody(id, await services.audit.list(id, AUDIT_ENTRIES_SHOWN)) } };
}

/** GET /console/tenants/{id}/runs — the newest runs. */
export async function showRuns(
  services: Pick<Services, 'tenants' | 'runs'>,
  request: HttpRequest,
  call: ConsoleCall,
): Promise<ConsoleAnswer> {
  const id = await existingTenantOf(services, request, call);
  return { page: { title: `Runs of ${id}`, body: runsBody(id, await services.runs.list(id, RUNS_LISTED)) } };
}

/**
 * GET /console/tenants/{id}/runs/{runId}[?q=…&outcome=…&continuationToken=…] — the run's summary and its change
 * list, searchable and filterable, a page at a time; reloads itself while the run is queued or running.
 */
export async function showRun(
  services: Pick<Services, 'tenants' | 'runs' | 'runChanges'>,
  request: HttpRequest,
  call: ConsoleCall,
): Promise<ConsoleAnswer> {
  operatorOf(call);
  const id = tenantIdParam(request);
  const runId = runIdParam(request);
  const run = (await services.tenants.get(id)) ? await services.runs.get(id, runId) : null;
  if (!run) throw new AppError('NOT_FOUND', `run ${runId} does not exist for tenant ${id}`);
  const outcome = request.query.get('outcome') ?? '';
  const q = request.query.get('q') ?? '';
  // The page's own form only sends these; anything else in the URL is ignored, as a browser page should.
  const query = parseRunChangeQuery({
    get: (name) => (name === 'limit' ? String(CHANGES_PER_PAGE) : name === 'feature' ? null : request.query.get(name)),
    getAll: (name) => (name === 'outcome' && outcome ? [outcome] : []),
  });
  const changes = await services.runChanges.list(id, runId, query);
  const running = run.status === 'queued' || run.status === 'running';
  return {
    page: {
      title: `${run.feature ?? 'users'} run of ${id}`,
      refreshSeconds: running ? RUN_REFRESH_SECONDS : undefined,
      body: runBody(
        id,
        run,
        {
          q,
          outcome,
          items: changes.items,
          next: changes.next === undefined ? undefined : encodeRunChangeToken(changes.next),
          paged: query.after !== undefined,
        },
        running ? { progress: describeRunProgress(run, call.now) } : undefined,
      ),
    },
  };
}
