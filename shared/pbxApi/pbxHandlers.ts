import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { AppError } from '../core/errors/AppError';
import { type Logger } from '../core/logging/Logger';
import { json } from '../core/http/jsonResponses';
import { type Services } from '../app/Services';
import { allowOnlyQuery } from '../admin/pathParams';
import { type SyncTenantDeps, syncNow, syncNowQuery } from '../admin/syncHandlers';
import { type PbxCaller } from './authenticatePbxRequest';
import { runSummary, subscriptionHealth } from '../admin/tenantStatus';
import { claimRequestSlot } from './claimRequestSlot';

/** What a PBX route gets besides its services: the caller (authenticated), the time, the rate-limit window. */
export interface PbxRequestContext {
  caller: PbxCaller;
  now: Date;
  windowMs: number;
}

/** Subscriptions the PBX's status lists one by one. */
const MAX_SUBSCRIPTIONS_SHOWN = 20;

/** The sync route takes its options in the query string; a body may be empty or `{}` (some PBX HTTP actions always send one). */
const MAX_BODY_BYTES = 1024;

/** The body's bytes, read no further than `maxBytes` (a declared or streamed excess is 'tooLarge'). */
export async function readAtMost(request: HttpRequest, maxBytes: number): Promise<Uint8Array | 'tooLarge'> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return 'tooLarge';
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (done || !value) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return 'tooLarge';
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

async function requireEmptyBody(request: HttpRequest): Promise<void> {
  const bytes = await readAtMost(request, MAX_BODY_BYTES);
  if (bytes === 'tooLarge') throw new AppError('PAYLOAD_TOO_LARGE', `the body must be empty or {} (at most ${MAX_BODY_BYTES} bytes)`);
  if (bytes.byteLength === 0) return;
  if (!/^application\/(.+\+)?json\b/i.test(request.headers.get('content-type') ?? ''))
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'the body must be empty or the JSON object {} (Content-Type: application/json)');
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new AppError('INVALID', 'the body is not valid UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length > 0)
    throw new AppError(
      'UNPROCESSABLE',
      'the body must be empty or {}: this route takes its options in the query string (mode=full|delta, dryRun=true, feature=name)',
    );
}

/**
 * POST /pbx/{tenantId}/sync[?mode=full|delta][&dryRun=true][&feature=name] — the admin "Sync now" for the
 * key's own tenant (the same code: syncNow): 202 with the queued runs, or with dryRun=true 200 with the
 * plan's counts (not its per-user actions), nothing written. Every check on the request comes before the rate limit, and the rate limit before
 * anything is queued; a refused request queues nothing.
 */
export async function pbxSync(deps: SyncTenantDeps & Pick<Services, 'pbxKeys'>, request: HttpRequest, log: Logger, ctx: PbxRequestContext) {
  const { tenantId, key } = ctx.caller;
  const options = syncNowQuery(deps, request);
  await requireEmptyBody(request);
  const kind = options.dryRun ? 'dryRun' : 'sync';
  const slot = await claimRequestSlot(deps.pbxKeys, key, kind, ctx.now, ctx.windowMs);
  try {
    // Recorded as the PBX's runs; a dry run's answer counts, without naming users (a PBX key is not an operator).
    const response = await syncNow(deps, tenantId, options, log, () => `/api/pbx/${tenantId}/status`, {
      trigger: 'pbx',
      planDetail: false,
    });
    log.info(options.dryRun ? 'PBX asked for a dry run' : 'PBX asked for a sync', { keyId: key.keyId, mode: options.mode });
    return response;
  } catch (err) {
    await slot.release().catch(() => undefined);
    throw err;
  }
}

/** A run as the PBX sees it: what happened and how much, no user names, no error texts, no configuration. */

/**
 * GET /pbx/{tenantId}/status[?limit=N] — the tenant's newest runs (default 5, at most 20) and whether its
 * Graph subscriptions are alive, so a PBX can show "last sync: 10:42, succeeded". No configuration, no
 * secrets, no personal data (no issues, no user names, no error texts: the admin API has those).
 */
export async function pbxStatus(
  deps: Pick<Services, 'runs' | 'subscriptions' | 'notifications'>,
  request: HttpRequest,
  _log: Logger,
  ctx: PbxRequestContext,
): Promise<HttpResponseInit> {
  const { tenantId } = ctx.caller;
  allowOnlyQuery(request, ['limit']);
  const limitText = request.query.get('limit') ?? '5';
  const limit = Number(limitText);
  if (!/^\d{1,3}$/.test(limitText) || limit < 1 || limit > 20)
    throw new AppError('INVALID', 'query parameter limit must be an integer from 1 to 20');
  const runs = await deps.runs.list(tenantId, limit);
  const {
    notificationsEnabled: enabled,
    health,
    value: all,
  } = subscriptionHealth(await deps.subscriptions.listForTenant(tenantId), deps.notifications.endpoints !== undefined, ctx.now);
  // No resource paths (a per-mailbox subscription's names a user), and not one line per mailbox: the first few and the count.
  const value = all.slice(0, MAX_SUBSCRIPTIONS_SHOWN).map(({ feature, expiresAt, expired }) => ({ feature, expiresAt, expired }));
  const lastSucceeded = runs.find((r) => r.status === 'succeeded' && !r.dryRun);
  return json(200, {
    tenantId,
    time: ctx.now.toISOString(),
    lastSucceededAt: lastSucceeded?.finishedAt ?? null,
    runs: runs.map(runSummary),
    subscriptions: { notificationsEnabled: enabled, health, count: all.length, value },
  });
}
