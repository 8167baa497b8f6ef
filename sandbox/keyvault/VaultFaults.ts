import { VaultError } from './VaultError';

export interface FaultOptions {
  /** Sent as Retry-After on 429 and 503 (default 0, so the SDK's throttling retry comes at once). */
  retryAfterSeconds?: number;
}

const CODES: Record<number, string> = {
  408: 'RequestTimeout',
  429: 'Throttled',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** Failures queued by a test: the next authenticated requests answer them, one each, whatever they ask. */
export class VaultFaults {
  private readonly queue: VaultError[] = [];

  failNext(count: number, status: number, options: FaultOptions = {}): void {
    const retryAfter = status === 429 || status === 503 ? { 'retry-after': String(options.retryAfterSeconds ?? 0) } : {};
    for (let n = 0; n < count; n++)
      this.queue.push(new VaultError(status, CODES[status] ?? 'Fault', `Injected fault (${status}).`, undefined, retryAfter));
  }

  /** Faults still queued. */
  get pending(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** The next fault, consumed. */
  take(): VaultError | undefined {
    return this.queue.shift();
  }
}
