import { type z } from 'zod';
import { parseRetryAfter } from '../../core/http/parseRetryAfter';
import { parsePortSipBody } from './parsePortSipBody';
import { portSipErrorFor } from './portSipErrorFor';
import { type PortSipSession } from './PortSipSession';
import { type PortSipMethod, type PortSipTransport } from './PortSipTransport';

export interface PortSipCall {
  /** What we are doing, for error messages: "creating extension 1001". */
  what: string;
  body?: unknown;
  /** Values in the body that must never reach an error message. */
  secrets?: readonly string[];
  /** Who the call is about (an account name): in error messages, but never in a 401/403's. */
  subject?: string;
}

/** A blob-upload call: raw bytes and extra request headers instead of a JSON body. */
export interface PortSipByteCall extends PortSipCall {
  bytes?: Uint8Array;
  headers?: Record<string, string>;
}

/** What the ports use of an API: the admin's PortSipApi, or one that acts as a user (PortSipUserSessions). */
export type PortSipCalls = Pick<PortSipApi, 'call' | 'read' | 'callWithBytes'>;

type Answer = { status: number; body: unknown; retryAfter: string | null; headers?: Record<string, string> };

/**
 * Authenticated PortSIP calls: bearer token from the session, one re-authentication and replay on a 401,
 * non-2xx answers turned into AppErrors, and answers validated against their schema.
 */
export class PortSipApi {
  constructor(
    private readonly transport: PortSipTransport,
    private readonly session: PortSipSession,
  ) {}

  /** Sends the request and returns the 2xx body, unvalidated. */
  async call(method: PortSipMethod, path: string, call: PortSipCall): Promise<unknown> {
    return (await this.exchange(call, (token) => this.transport.send(method, path, call.body, token))).body;
  }

  /** Sends the request and returns the 2xx body validated by `schema`. */
  async read<T extends z.ZodType>(schema: T, method: PortSipMethod, path: string, call: PortSipCall): Promise<z.output<T>> {
    return parsePortSipBody(schema, await this.call(method, path, call), `${method} /api${path.split('?')[0]}`);
  }

  /** A blob-upload request; the 2xx body (unvalidated) and the answer's headers (lower-case names). */
  async callWithBytes(
    method: PortSipMethod,
    path: string,
    call: PortSipByteCall,
  ): Promise<{ body: unknown; headers: Record<string, string> }> {
    const answer = await this.exchange(call, (token) =>
      this.transport.sendBytes(method, path, { bytes: call.bytes, headers: call.headers }, token),
    );
    return { body: answer.body, headers: answer.headers ?? {} };
  }

  private async exchange(call: PortSipCall, send: (token: string) => Promise<Answer>): Promise<Answer> {
    for (let attempt = 0; ; attempt += 1) {
      const token = await this.session.token();
      const answer = await send(token);
      if (answer.status === 401 && attempt === 0) {
        this.session.invalidate(token);
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) return answer;
      throw portSipErrorFor(answer.status, answer.body, call.what, {
        retryAfterMs: parseRetryAfter(answer.retryAfter),
        secrets: [...(call.secrets ?? []), token],
        subject: call.subject,
      });
    }
  }
}
