import { AppError, type AppErrorOptions, type ErrorCode } from '../../core/errors/AppError';
import { ErrorBodySchema } from './portSipSchemas';
import { redactSecrets } from '../redactSecrets';

/**
 * ⚠ PortSIP documents only the codes UNKNOWN and VALIDATE_FAILED, and no distinct code or status for "already
 * in use" (docs/PORTSIP.md): a taken extension number or account name is expected as
 * 400 VALIDATE_FAILED whose message says so. This is the one place that reads those words; adjust it when a
 * live PBX shows its real wording.
 */
const ALREADY_USED = new RegExp(
  [
    String.raw`already\s+(been\s+)?(in use|used|exists?|taken|registered|occupied)`,
    String.raw`\bis in use\b`,
    String.raw`\b(has been|is) (used|taken)\b`,
    'duplicat',
    'not unique',
    'exists already',
  ].join('|'),
  'i',
);

export interface PortSipErrorOptions {
  retryAfterMs?: number | undefined;
  /** Values we sent that must never reach a message (generated passwords, the sign-in password, the token). */
  secrets?: readonly string[] | undefined;
  /**
   * Who the call was about (an account name, e.g. "alice"), shown after `what` — except on a 401 or 403,
   * whose messages name no user name, account name, password or token.
   */
  subject?: string | undefined;
}

const isAuthFailure = (code: ErrorCode) => code === 'UNAUTHORIZED' || code === 'FORBIDDEN';

function codeFor(status: number, upstreamCode: string | undefined, text: string): ErrorCode {
  if (status === 429) return 'THROTTLED';
  if (status >= 500 || status === 408) return 'TRANSIENT';
  // PortSIP's auth page shows a failed login as 400 with code UNAUTHORIZED.
  if (status === 401 || upstreamCode === 'UNAUTHORIZED') return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409 || ALREADY_USED.test(text)) return 'CONFLICT';
  return 'INVALID';
}

/**
 * Maps a PortSIP HTTP failure to an AppError, keeping PortSIP's status, code and message (minus anything
 * secret). `what` says what we were doing, e.g. "creating extension 1001".
 */
export function portSipErrorFor(status: number, body: unknown, what: string, options: PortSipErrorOptions = {}): AppError {
  const secrets = options.secrets ?? [];
  const parsed = ErrorBodySchema.safeParse(body);
  const first = parsed.success ? parsed.data.errors[0] : undefined;
  const upstreamCode = first?.code;
  const upstreamMessage = first?.message ? redactSecrets(first.message, secrets) : undefined;
  const detail = redactSecrets(first?.detail, secrets);
  const detailText = detail === undefined ? '' : typeof detail === 'string' ? detail : JSON.stringify(detail);
  const code = codeFor(status, upstreamCode, `${upstreamMessage ?? ''} ${detailText}`);
  // A refusal's own words may echo the account it refused (or the token): keep only its status and code.
  const authFailure = isAuthFailure(code);
  const shownMessage = authFailure ? undefined : upstreamMessage;
  const doing = options.subject && !authFailure ? `${what} (${options.subject})` : what;
  const said = `PortSIP answered ${status}${upstreamCode ? ` ${upstreamCode}` : ''}${shownMessage ? ` (${shownMessage})` : ''}`;
  const message = code === 'THROTTLED' ? `${doing}: PortSIP is throttling requests (${status}); retry later` : `${doing}: ${said}`;
  const errorOptions: AppErrorOptions = { upstreamStatus: status, upstreamCode };
  if (detail !== undefined && !authFailure) errorOptions.details = detail;
  if (code === 'THROTTLED' || code === 'TRANSIENT') errorOptions.retryAfterMs = options.retryAfterMs;
  return new AppError(code, message, errorOptions);
}
