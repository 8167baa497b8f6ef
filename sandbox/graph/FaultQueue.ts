import { type ServerResponse } from 'node:http';
import { sendGraphError } from './graphErrors';

type Fault = { kind: 'throttle'; retryAfterSeconds: number } | { kind: 'fail'; status: number };

/** Injected failures, each answering exactly one Graph request in the order they were queued. */
export class FaultQueue {
  private readonly pending: Fault[] = [];

  throttleNext(count: number, retryAfterSeconds = 1): void {
    for (let i = 0; i < count; i += 1) this.pending.push({ kind: 'throttle', retryAfterSeconds });
  }

  failNext(count: number, status = 503): void {
    for (let i = 0; i < count; i += 1) this.pending.push({ kind: 'fail', status });
  }

  /** Answers the request with the next queued fault, if any; true when it did. */
  answer(res: ServerResponse): boolean {
    const fault = this.pending.shift();
    if (!fault) return false;
    if (fault.kind === 'throttle') {
      sendGraphError(res, 429, 'TooManyRequests', 'Too many requests. Retry after the given interval.', {
        'Retry-After': String(fault.retryAfterSeconds),
      });
    } else {
      sendGraphError(res, fault.status, 'serviceNotAvailable', 'The service is temporarily unavailable.', { 'Retry-After': '1' });
    }
    return true;
  }
}
