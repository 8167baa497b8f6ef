import { type z } from 'zod';
import { isAppError } from '../../core/errors/AppError';
import { checkThreeCxReadiness, type ThreeCxReadiness } from './checkThreeCxReadiness';
import { type ThreeCxMethod } from './ThreeCxExchange';
import { type ThreeCxCall, type ThreeCxTransport } from './ThreeCxTransport';

/**
 * The XAPI as the ports use it: the readiness probe runs once, lazily, before the first real call (so building
 * a connection does no I/O), and its answer is kept for the connection's life. A NOT_READY refusal is kept
 * too (the PBX will not change within a run, and re-probing on every call would cost 4 requests each); any
 * other failure (throttling, an outage) is forgotten so the next call probes again.
 */
export class ThreeCxApi {
  private probe: Promise<ThreeCxReadiness> | undefined;
  private known: ThreeCxReadiness | undefined;

  constructor(readonly transport: ThreeCxTransport) {}

  /** The probe's answer, probing first if no call has yet. */
  ready(): Promise<ThreeCxReadiness> {
    this.probe ??= checkThreeCxReadiness(this.transport).then(
      (readiness) => (this.known = readiness),
      (err: unknown) => {
        if (!isAppError(err, 'NOT_READY')) this.probe = undefined;
        throw err;
      },
    );
    return this.probe;
  }

  /** The probe's answer once it has succeeded; undefined before. */
  readiness(): ThreeCxReadiness | undefined {
    return this.known;
  }

  requestCount(): number {
    return this.transport.requestCount();
  }

  async call(method: ThreeCxMethod, path: string, call: ThreeCxCall): Promise<unknown> {
    await this.ready();
    return this.transport.call(method, path, call);
  }

  async read<T extends z.ZodType>(schema: T, method: ThreeCxMethod, path: string, call: ThreeCxCall): Promise<z.output<T>> {
    await this.ready();
    return this.transport.read(schema, method, path, call);
  }

  async *pages<T extends z.ZodType>(path: string, query: string, item: T, what: string): AsyncIterable<z.output<T>[]> {
    await this.ready();
    yield* this.transport.pages(path, query, item, what);
  }
}
