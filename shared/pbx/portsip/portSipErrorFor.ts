import { AppError } from '../../errors/AppError';
import { ErrorBodySchema } from './portSipSchemas';

/**
 * Maps a PortSIP answer to our error codes. PortSIP reports most failures as 400 VALIDATE_FAILED and
 * documents no distinct code for "already in use" (⚠ reference/portsip.md §10.11), so a duplicate
 * extension number or account name is recognised from the message; this heuristic lives only here.
 */
export function portSipErrorFor(status: number, body: unknown, what: string, retryAfterMs?: number): AppError {
  const parsed = ErrorBodySchema.safeParse(body);
  const first = parsed.success ? parsed.data.errors[0] : undefined;
  const upstreamCode = first?.code;
  const text = [first?.message, typeof first?.detail === 'string' ? first.detail : JSON.stringify(first?.detail ?? '')].filter(Boolean).join(' ');
  const message = `${what}: PortSIP answered ${status}${upstreamCode ? ` ${upstreamCode}` : ''}${first?.message ? ` (${first.message})` : ''}`;
  const options = { upstreamStatus: status, upstreamCode, details: first?.detail };
  if (status === 429) return new AppError('THROTTLED', `${what}: PortSIP rate limit reached`, { ...options, retryAfterMs });
  if (status >= 500) return new AppError('TRANSIENT', message, { ...options, retryAfterMs });
  if (status === 401 || upstreamCode === 'UNAUTHORIZED') return new AppError('UNAUTHORIZED', message, options);
  if (status === 403) return new AppError('FORBIDDEN', message, options);
  if (status === 404) return new AppError('NOT_FOUND', message, options);
  if (status === 409 || /already (in use|exists|used|taken)|duplicat/i.test(text)) return new AppError('CONFLICT', message, options);
  return new AppError('INVALID', message, options);
}
