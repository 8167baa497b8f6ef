/**
 * How fast an adapter may talk to its PBX: the caller's share of the budget when it splits it (per lane), else
 * the configured rate; the configured requests in flight; and a fetch a test records with.
 */
export function connectionPacing(
  config: { rateLimitPerMinute: number; maxConcurrency: number },
  options: { rateLimitPerMinute?: number | undefined; fetch?: typeof fetch | undefined },
): { rateLimitPerMinute: number; maxConcurrency: number; fetch?: typeof fetch } {
  return {
    rateLimitPerMinute: options.rateLimitPerMinute ?? config.rateLimitPerMinute,
    maxConcurrency: config.maxConcurrency,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
}
