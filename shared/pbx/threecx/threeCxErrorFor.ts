import { AppError, type AppErrorOptions, type ErrorCode } from '../../core/errors/AppError';
import { ErrorEnvelopeSchema } from './threeCxSchemas';
import { redactSecrets } from '../redactSecrets';

export interface ThreeCxErrorOptions {
  retryAfterMs?: number | undefined;
  /** Values that must never reach a message: the client secret, the access token. */
  secrets?: readonly string[] | undefined;
}

/** 3CX's code for a taken value, e.g. a DN number used by a user, ring group or queue. */
const ALREADY_IN_USE = 'WARNINGS.XAPI.ALREADY_IN_USE';
const MAX_SHOWN = 300;

interface Entry {
  code: string;
  message: string;
  target: string;
}

/** The envelope's main error and its details, blanks as ''. A body that is not the envelope gives none. */
function entriesOf(body: unknown): Entry[] {
  const parsed = ErrorEnvelopeSchema.safeParse(body);
  if (!parsed.success) return [];
  const { error } = parsed.data;
  const entry = (e: {
    code?: string | null | undefined;
    message?: string | null | undefined;
    target?: string | null | undefined;
  }): Entry => ({
    code: e.code ?? '',
    message: e.message ?? '',
    target: e.target ?? '',
  });
  return [entry(error), ...(error.details ?? []).map(entry)];
}

/** The field an ALREADY_IN_USE names: the detail's `target`, else the message's "Number:\n…" prefix. */
function inUseTarget(entries: Entry[]): string | undefined {
  const hit = entries.find((e) => `${e.code} ${e.message}`.includes(ALREADY_IN_USE));
  if (!hit) return undefined;
  const fromMessage = /^\s*([A-Za-z][\w.]*)\s*:/.exec(hit.message)?.[1];
  return hit.target || entries.find((e) => e.target)?.target || fromMessage || 'Number';
}

/** The codes an XAPI failure maps to. */
type XapiErrorCode = Extract<ErrorCode, 'THROTTLED' | 'TRANSIENT' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'CONFLICT' | 'NOT_FOUND' | 'INVALID'>;

function codeFor(status: number, entries: Entry[], inUse: boolean): XapiErrorCode {
  if (status === 429) return 'THROTTLED';
  if (status >= 500 || status === 408) return 'TRANSIENT';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (inUse || status === 409) return 'CONFLICT';
  // 3CX answers most refusals 400 and names the reason in the code (`…NOT_FOUND`), so the code counts too.
  if (status === 404 || entries.some((e) => /(^|\.)NOT_FOUND$/.test(e.code) || e.message.includes('XAPI.NOT_FOUND'))) return 'NOT_FOUND';
  return 'INVALID';
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, MAX_SHOWN);

/**
 * A failed XAPI answer as an AppError. Only the envelope's codes, targets and messages are kept (secrets
 * removed, on one line, cut short): never a request or response body. `what` says what we were doing, e.g.
 * "creating extension 101".
 */
export function threeCxErrorFor(status: number, body: unknown, what: string, options: ThreeCxErrorOptions = {}): AppError {
  const secrets = options.secrets ?? [];
  const entries = redactSecrets(entriesOf(body), secrets);
  const target = inUseTarget(entries);
  const code = codeFor(status, entries, target !== undefined);
  const main = entries[0];
  const upstreamCode = target !== undefined ? ALREADY_IN_USE : main?.code || undefined;
  const errorOptions: AppErrorOptions = { upstreamStatus: status, upstreamCode };
  if (code === 'THROTTLED' || code === 'TRANSIENT') errorOptions.retryAfterMs = options.retryAfterMs;

  switch (code) {
    case 'UNAUTHORIZED':
      // 3CX's auth middleware sends no body; nothing it might say about the client is repeated.
      return new AppError(
        code,
        `${what}: 3CX answered 401; check the 3CX API client id and secret (Admin → Integrations → API)`,
        errorOptions,
      );
    case 'FORBIDDEN':
      return new AppError(
        code,
        `${what}: 3CX answered 403; the API client's role must be System Owner (Admin → Integrations → API; ` +
          '⚠ System Admin is refused on some endpoints)',
        errorOptions,
      );
    case 'THROTTLED':
      return new AppError(code, `${what}: 3CX is throttling requests (${status}); retry later`, errorOptions);
    case 'CONFLICT':
      errorOptions.details = { target };
      return new AppError(code, `${what}: 3CX answered ${status} ${ALREADY_IN_USE} (${target} is already in use)`, errorOptions);
    case 'INVALID':
    case 'NOT_FOUND':
    case 'TRANSIENT': {
      const said = main ? oneLine([main.code, main.message].filter(Boolean).join(': ')) : typeof body === 'string' ? oneLine(body) : '';
      const shown = said ? ` (${redactSecrets(said, secrets)})` : '';
      const details = entries.slice(1).map((e) => ({ code: e.code, target: e.target }));
      if (details.length > 0) errorOptions.details = details;
      return new AppError(code, `${what}: 3CX answered ${status}${shown}`, errorOptions);
    }
  }
}
