/** A queued failure: any request, or only requests whose method and path match. */
export interface PbxFault {
  status: number;
  retryAfterSeconds?: number;
  method?: string;
  path?: RegExp;
}

/** Injected failures, each answering exactly one matching request in the order they were queued. */
export class FaultQueue {
  private readonly pending: PbxFault[] = [];

  throttleNext(count: number, retryAfterSeconds = 1): void {
    for (let i = 0; i < count; i += 1) this.pending.push({ status: 429, retryAfterSeconds });
  }

  failNext(count: number, status = 503): void {
    for (let i = 0; i < count; i += 1) this.pending.push({ status });
  }

  failNextMatching(method: string, path: RegExp, count: number, status = 503): void {
    for (let i = 0; i < count; i += 1) this.pending.push({ status, method: method.toUpperCase(), path });
  }

  /** Removes and returns the first fault that applies to this request. */
  take(method: string, pathname: string): PbxFault | undefined {
    const index = this.pending.findIndex((f) => (!f.method || f.method === method) && (!f.path || matches(f.path, pathname)));
    return index < 0 ? undefined : this.pending.splice(index, 1)[0];
  }
}

// A /g or /y regex remembers lastIndex between test() calls; each request must be judged afresh.
function matches(pattern: RegExp, pathname: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(pathname);
}
