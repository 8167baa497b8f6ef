import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { AppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { type Logger } from '../core/logging/Logger';
import { type Services } from '../app/Services';
import { featureTimers } from '../app/featureTimers';
import { parsePortSipExtensionEvents } from '../pbx/portsip/portSipExtensionEvents';
import { type PbxRequestContext, readAtMost } from './pbxHandlers';

/** A PortSIP event is a few hundred bytes; an `extension_status` for a large tenant a few tens of kilobytes. */
export const MAX_EVENT_BODY_BYTES = 64 * 1024;
/** How many problems a 400 (or a partial 200) lists. */
const MAX_PROBLEMS_SHOWN = 5;

/**
 * `POST /api/pbx/{tenantId}/events`: the PBX's extension events (PortSIP's "Extension events" webhook). The
 * caller is authenticated like every PBX route (the tenant's PBX key as a Bearer token, compared in constant
 * time) before this runs. The work per request is bounded: at most 64 KB read, at most 100 events, one queue
 * message per call event, no Graph or PBX call — the feature's jobs do those in the tenant's realtime lane.
 *
 * Answers: 200 with counts (PortSIP retries anything else, and stops on 404); 400 when nothing in the body can
 * be understood; 404 when no feature of the tenant uses call events (the PBX stops retrying); 413 / 415 for a body
 * too large or not JSON.
 */
export async function pbxEvents(services: Services, request: HttpRequest, log: Logger, ctx: PbxRequestContext): Promise<HttpResponseInit> {
  const bytes = await readAtMost(request, MAX_EVENT_BODY_BYTES);
  if (bytes === 'tooLarge') throw new AppError('PAYLOAD_TOO_LARGE', `an event body may be at most ${MAX_EVENT_BODY_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new AppError('INVALID', 'the body is not valid UTF-8 JSON (one PortSIP event object, or an array of them)');
  }
  const tenant = await services.tenants.get(ctx.caller.tenantId);
  const listening = tenant?.config.enabled
    ? services.features.enabledFor(tenant.config).filter(({ feature }) => feature.pbxCallEvents !== undefined)
    : [];
  if (!tenant || listening.length === 0)
    throw new AppError('NOT_FOUND', 'no feature of this tenant uses PBX call events (turn callState on, or remove the PBX event URL)');
  const parsed = parsePortSipExtensionEvents(body, ctx.now);
  const problems = parsed.invalid.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `event ${p.index}: ${p.reason}`);
  if (parsed.events.length === 0 && parsed.ignored === 0)
    throw new AppError(
      'INVALID',
      problems.length > 0 ? `no event in the body could be understood: ${problems.join('; ')}` : 'the body holds no event',
      { details: { problems } },
    );
  let queued = 0;
  for (const { feature, options } of listening) {
    const timers = feature.pbxCallEvents!(parsed.events, options, ctx.now);
    await featureTimers(services, tenant.id, feature.manifest, () => ctx.now).schedule(timers);
    queued += timers.length;
  }
  if (parsed.invalid.length > 0) log.warn('PBX events not understood', { count: parsed.invalid.length, first: problems[0] });
  return json(200, {
    accepted: parsed.events.length,
    ignored: parsed.ignored,
    invalid: parsed.invalid.length,
    queued,
    ...(problems.length > 0 ? { problems } : {}),
  });
}
