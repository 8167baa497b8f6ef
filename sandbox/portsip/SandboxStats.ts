/** What the sandbox PBX has served since the last reset. */
export interface SandboxStats {
  requests: number;
  /** Successful mutating calls: create, update, destroy, binding and unbinding. */
  writes: number;
  /** Requests per route, e.g. 'GET /api/users/{id}'. */
  byRoute: Record<string, number>;
  /** 429 answers, from the rate limit or an injected throttle. */
  throttled: number;
  reset(): void;
}

export function createSandboxStats(): SandboxStats {
  const stats: SandboxStats = {
    requests: 0,
    writes: 0,
    byRoute: {},
    throttled: 0,
    reset: () => {
      stats.requests = 0;
      stats.writes = 0;
      stats.byRoute = {};
      stats.throttled = 0;
    },
  };
  return stats;
}
