import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { AppError } from '../core/errors/AppError';
import { json } from '../core/http/jsonResponses';
import { type Services } from '../app/Services';
import { parseRunChangeQuery } from '../engine/parseRunChangeQuery';
import { encodeRunChangeToken } from '../engine/runChangeToken';
import { allowOnlyQuery, runIdParam, tenantIdParam } from './pathParams';

/**
 * GET /tenants/{id}/runs/{runId}/changes[?limit=1..500&continuationToken=…&outcome=created,failed&feature=…&q=…]
 * — what the run did to each item, in order: `{ value: RunChange[], continuationToken? }`. A page may be short
 * (a search examines a bounded number of items per call) while a continuationToken says there is more.
 */
export async function listRunChanges(
  deps: Pick<Services, 'tenants' | 'runs' | 'runChanges'>,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const id = tenantIdParam(request);
  const runId = runIdParam(request);
  allowOnlyQuery(request, ['limit', 'continuationToken', 'outcome', 'feature', 'q'], ['outcome']);
  const query = parseRunChangeQuery(request.query);
  // The same answer as GET …/runs/{runId}: a run of an unknown (or deleted) tenant does not exist.
  const run = (await deps.tenants.get(id)) ? await deps.runs.get(id, runId) : null;
  if (!run) throw new AppError('NOT_FOUND', `run ${runId} does not exist for tenant ${id}`);
  const page = await deps.runChanges.list(id, runId, query);
  return json(200, { value: page.items, ...(page.next === undefined ? {} : { continuationToken: encodeRunChangeToken(page.next) }) });
}
