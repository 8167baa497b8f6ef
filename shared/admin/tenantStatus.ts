import { CronExpressionParser } from 'cron-parser';
import { type Services } from '../app/Services';
import { type GraphCredentialDeps, describeGraphCredential } from '../app/graphCredentials';
import { ensureError } from '../core/errors/ensureError';
import { type SyncRun } from '../engine/RunStore';
import { describeRunProgress } from '../engine/describeRunProgress';
import { tenantSecretNames } from '../platform/secrets/tenantSecretNames';
import { type SubscriptionRecord } from '../subscriptions/SubscriptionStore';

/** A run as the status surfaces (the console, `GET …/status`, the PBX's status) show it. */
export function runSummary(run: SyncRun) {
  return {
    runId: run.runId,
    feature: run.feature ?? 'users',
    status: run.status,
    trigger: run.trigger,
    mode: run.mode,
    dryRun: run.dryRun,
    queuedAt: run.queuedAt,
    startedAt: run.startedAt ?? null,
    finishedAt: run.finishedAt ?? null,
    durationMs: run.durationMs ?? null,
    itemsRead: run.itemsRead,
    counts: run.counts,
    issueCount: run.issues.length,
  };
}
export type RunSummary = ReturnType<typeof runSummary>;

/** Whether Graph's change notifications reach the tenant: off without a public URL, else by the subscriptions' expiry. */
export function subscriptionHealth(subscriptions: readonly SubscriptionRecord[], notificationsEnabled: boolean, now: Date) {
  const value = subscriptions.map((s) => ({
    feature: s.resource,
    resource: s.graphResource,
    expiresAt: s.expiresAt,
    expired: Date.parse(s.expiresAt) <= now.getTime(),
  }));
  const health = !notificationsEnabled ? 'off' : value.length === 0 ? 'none' : value.some((s) => s.expired) ? 'degraded' : 'healthy';
  return { notificationsEnabled, health, value } as const;
}

export type TenantStatusDeps = Pick<Services, 'tenants' | 'runs' | 'subscriptions' | 'notifications' | 'features' | 'pollCycles'> &
  GraphCredentialDeps;

/** Runs read for the status: enough to find each feature's last one in a busy tenant. */
const RUNS_READ = 50;
/** Subscriptions listed one by one (per-user ones make the list as long as the tenant; the counts cover all). */
const SUBSCRIPTIONS_LISTED = 20;
const ERRORS_LISTED = 10;

export interface StatusProblem {
  what: string;
  advice: string;
}

/**
 * Everything an operator (the console) or a monitor (`GET /api/tenants/{id}/status`) needs to know about one
 * tenant, from stored state plus the Graph credential's description; nothing here calls the PBX or Graph.
 * Undefined when the tenant does not exist.
 */
export async function buildTenantStatus(deps: TenantStatusDeps, tenantId: string, now: Date) {
  const tenant = await deps.tenants.get(tenantId);
  if (!tenant) return undefined;
  const config = tenant.config;
  const runs = (await deps.runs.list(tenantId, RUNS_READ)).filter((r) => !r.dryRun).sort((a, b) => b.queuedAt.localeCompare(a.queuedAt));
  const finished = runs.filter((r) => r.status !== 'queued' && r.status !== 'running');
  const enabled = new Set(deps.features.enabledFor(config).map(({ feature }) => feature.manifest.name));
  const features = await Promise.all(
    deps.features.features.map(async (feature) => {
      const name = feature.manifest.name;
      const last = finished.find((r) => (r.feature ?? 'users') === name);
      const on = enabled.has(name);
      // A polling feature's work is its cycles (runs are only "Sync now"): its card shows the last one.
      const cycle = feature.polling && on ? await deps.pollCycles.get(tenantId, name) : undefined;
      const lastCycle = cycle
        ? { startedAt: cycle.startedAt, finishedAt: cycle.finishedAt ?? null, ...cycle.stats, lastError: cycle.lastError ?? null }
        : null;
      const troubled =
        (last && (last.status === 'failed' || last.status === 'partial')) || (lastCycle && (lastCycle.lastError || lastCycle.failed > 0));
      return {
        name,
        lane: feature.manifest.lane,
        enabled: on,
        health: !on ? 'off' : troubled ? 'attention' : 'ok',
        options: (config as unknown as Record<string, unknown>)[name] ?? null,
        lastRun: last ? runSummary(last) : null,
        lastCycle,
      };
    }),
  );

  const problems: StatusProblem[] = [];
  let credential: { kind: string; health: string; daysLeft: number | null; message: string; action: string | null };
  try {
    const described = await describeGraphCredential(deps, tenant, now);
    credential = {
      kind: described.kind,
      health: described.health.status,
      daysLeft: described.health.daysLeft ?? null,
      message: described.health.message,
      action: described.health.action ?? null,
    };
  } catch (err) {
    credential = {
      kind: config.microsoft365.auth.kind,
      health: 'unknown',
      daysLeft: null,
      message: ensureError(err).message,
      action: null,
    };
  }
  if (credential.health !== 'ok')
    problems.push({ what: `Microsoft 365 sign-in: ${credential.message}`, advice: credential.action ?? 'see GET …/graph-credential' });
  const pbxWritten = (await deps.secrets.describeSecret(tenantSecretNames(tenantId).pbx)) !== undefined;
  if (!pbxWritten)
    problems.push({ what: 'no PBX credential is written', advice: `write it with PUT /api/tenants/${tenantId}/secrets/pbx` });

  const subscriptions = subscriptionHealth(
    await deps.subscriptions.listForTenant(tenantId),
    deps.notifications.endpoints !== undefined,
    now,
  );
  if (subscriptions.health === 'degraded')
    problems.push({
      what: 'a Graph subscription has expired: changes arrive only with the scheduled reconcile',
      advice: `POST /api/tenants/${tenantId}/subscriptions/maintain`,
    });

  const errors = finished
    .filter((r) => r.status === 'failed' || r.status === 'partial')
    .slice(0, ERRORS_LISTED)
    .map((r) => ({
      at: r.finishedAt ?? r.queuedAt,
      feature: r.feature ?? 'users',
      runId: r.runId,
      message: r.error ?? `${r.counts.failed} item(s) failed${r.issues[0] ? `, e.g. ${r.issues[0].message}` : ''}`,
      advice: r.error
        ? 'fix what the message names, then press Sync now'
        : `open the run's change list (GET /api/tenants/${tenantId}/runs/${r.runId}/changes?outcome=failed)`,
    }));
  const lastFailed = finished[0] && (finished[0].status === 'failed' || finished[0].status === 'partial');
  if (lastFailed)
    problems.push({ what: `the last ${finished[0]!.feature ?? 'users'} run ${finished[0]!.status}`, advice: errors[0]!.advice });

  return {
    tenant: {
      id: tenantId,
      displayName: config.displayName,
      enabled: config.enabled,
      pbx: { kind: config.pbx.kind, baseUrl: config.pbx.baseUrl },
    },
    time: now.toISOString(),
    connection: { state: !config.enabled ? 'disabled' : problems.length > 0 ? 'attention' : 'ok', problems },
    lastRun: finished[0] ? runSummary(finished[0]) : null,
    // A queued run, or one that has not settled a page yet, has no progress (null).
    running: runs
      .filter((r) => r.status === 'queued' || r.status === 'running')
      .map((r) => ({ ...runSummary(r), progress: describeRunProgress(r, now) ?? null })),
    nextScheduledRunAt: config.enabled ? nextFire(config.schedule.cron, config.schedule.timeZone, now) : null,
    features,
    subscriptions: { ...subscriptions, count: subscriptions.value.length, value: subscriptions.value.slice(0, SUBSCRIPTIONS_LISTED) },
    credentials: { graph: credential, pbxWritten },
    errors,
  };
}
export type TenantStatus = NonNullable<Awaited<ReturnType<typeof buildTenantStatus>>>;

function nextFire(cron: string, timeZone: string, now: Date): string | null {
  try {
    return CronExpressionParser.parse(cron, { currentDate: now, tz: timeZone }).next().toDate().toISOString();
  } catch {
    return null;
  }
}
