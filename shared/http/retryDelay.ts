/**
 * How long to wait before retry number `attempt` (1-based): the server's Retry-After (seconds or an HTTP
 * date) when given, else exponential backoff with full jitter; capped at `maxMs`.
 */
export function retryDelay(attempt: number, retryAfter: string | null | undefined, options: { baseMs?: number; maxMs?: number; random?: () => number } = {}): number {
  const maxMs = options.maxMs ?? 30_000;
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : new Date(retryAfter).getTime() - Date.now();
    if (Number.isFinite(ms)) return Math.min(maxMs, Math.max(0, ms));
  }
  const base = options.baseMs ?? 250;
  const ceiling = Math.min(maxMs, base * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (options.random ?? Math.random)() * (ceiling / 2));
}
