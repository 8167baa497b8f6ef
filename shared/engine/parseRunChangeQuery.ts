import { AppError } from '../core/errors/AppError';
import { FeatureNameSchema } from '../features/FeatureName';
import { RUN_CHANGE_OUTCOMES, type RunChangeOutcome } from './RunChange';
import { type RunChangeQuery } from './RunChangeStore';
import { decodeRunChangeToken } from './runChangeToken';

export const DEFAULT_RUN_CHANGES_LIMIT = 100;
export const MAX_RUN_CHANGES_LIMIT = 500;
const MAX_Q = 200;

/** The part of URLSearchParams read here. */
interface QueryParams {
  get(name: string): string | null;
  getAll(name: string): string[];
}

const invalid = (message: string) => new AppError('INVALID', message);

function parseLimit(text: string | null): number {
  if (text === null) return DEFAULT_RUN_CHANGES_LIMIT;
  const limit = Number(text);
  if (!/^\d{1,4}$/.test(text) || limit < 1 || limit > MAX_RUN_CHANGES_LIMIT)
    throw invalid(`query parameter limit must be an integer from 1 to ${MAX_RUN_CHANGES_LIMIT}`);
  return limit;
}

/** `outcome=created,failed` (repeating the parameter works too); empty entries are ignored. */
function parseOutcomes(values: string[]): RunChangeOutcome[] | undefined {
  const names = values.flatMap((value) => value.split(',')).map((name) => name.trim());
  const outcomes = new Set<RunChangeOutcome>();
  for (const name of names) {
    if (name === '') continue;
    const outcome = RUN_CHANGE_OUTCOMES.find((known) => known === name);
    if (!outcome) {
      const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
      throw invalid(`query parameter outcome: unknown outcome "${shown}"; expected a comma list of ${RUN_CHANGE_OUTCOMES.join(', ')}`);
    }
    outcomes.add(outcome);
  }
  return outcomes.size === 0 ? undefined : [...outcomes];
}

function parseFeature(text: string | null): string | undefined {
  if (text === null || text === '') return undefined;
  const parsed = FeatureNameSchema.safeParse(text);
  if (!parsed.success) throw invalid('query parameter feature must be a feature name (a letter, then 1 to 31 letters or digits)');
  return parsed.data;
}

function parseSearch(text: string | null): string | undefined {
  const q = text?.trim();
  if (!q) return undefined;
  if (q.length > MAX_Q) throw invalid(`query parameter q must be at most ${MAX_Q} characters`);
  return q;
}

/**
 * The query of GET /tenants/{id}/runs/{runId}/changes: `limit` (1..500, default 100), `continuationToken`,
 * `outcome` (comma list), `feature`, `q` (substring of source id, label or extension). Empty filters mean
 * "no filter"; anything malformed is AppError INVALID (400) naming the parameter.
 */
export function parseRunChangeQuery(params: QueryParams): RunChangeQuery {
  const token = params.get('continuationToken');
  return {
    limit: parseLimit(params.get('limit')),
    after: token === null || token === '' ? undefined : decodeRunChangeToken(token),
    outcomes: parseOutcomes(params.getAll('outcome')),
    feature: parseFeature(params.get('feature')),
    q: parseSearch(params.get('q')),
  };
}
