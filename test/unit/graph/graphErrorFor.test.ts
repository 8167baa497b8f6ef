import { GraphClientError, GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/core/errors/AppError';
import { graphErrorFor } from '../../../shared/graph/graphErrorFor';

function graphError(status: number, code: string, headers: Record<string, string> = {}): GraphError {
  const error = new GraphError(status, `Graph says ${code}`);
  error.code = code;
  error.headers = new Headers(headers);
  return error;
}

describe('graphErrorFor', () => {
  it.each([
    [410, 'resyncRequired'],
    [410, 'anythingElse'],
    [400, 'syncStateNotFound'],
    [400, 'SyncStateNotFound'],
    [400, 'resyncRequired'],
    [404, 'syncStateInvalid'],
  ])('maps %i %s to DELTA_TOKEN_EXPIRED, keeping the upstream status and code', (status, code) => {
    const mapped = graphErrorFor(graphError(status, code), 'reading the users delta');
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped.code).toBe('DELTA_TOKEN_EXPIRED');
    expect(mapped.upstreamStatus).toBe(status);
    expect(mapped.upstreamCode).toBe(code);
    expect(mapped.message).toContain('reading the users delta');
  });

  it.each([
    [401, 'InvalidAuthenticationToken', 'UNAUTHORIZED'],
    [403, 'Authorization_RequestDenied', 'FORBIDDEN'],
    [404, 'Request_ResourceNotFound', 'NOT_FOUND'],
    [500, 'generalException', 'TRANSIENT'],
    [503, 'serviceNotAvailable', 'TRANSIENT'],
    [504, 'gatewayTimeout', 'TRANSIENT'],
    [400, 'Request_BadRequest', 'INVALID'],
    [409, 'conflict', 'INVALID'],
  ] as const)('maps %i %s to %s', (status, code, expected) => {
    const mapped = graphErrorFor(graphError(status, code), 'x');
    expect(mapped.code).toBe(expected);
    expect(mapped.upstreamStatus).toBe(status);
    expect(mapped.upstreamCode).toBe(code);
  });

  it('names the application permissions on 403', () => {
    const mapped = graphErrorFor(graphError(403, 'Authorization_RequestDenied'), 'reading the users delta');
    expect(mapped.message).toMatch(/User\.Read\.All/);
    expect(mapped.message).toMatch(/GroupMember\.Read\.All/);
  });

  it('keeps Retry-After of a 429 in seconds or as an HTTP date', () => {
    expect(graphErrorFor(graphError(429, 'TooManyRequests', { 'Retry-After': '7' }), 'x')).toMatchObject({
      code: 'THROTTLED',
      retryAfterMs: 7000,
      upstreamStatus: 429,
    });
    const date = new Date(Date.now() + 30_000).toUTCString();
    const fromDate = graphErrorFor(graphError(429, 'TooManyRequests', { 'Retry-After': date }), 'x');
    expect(fromDate.retryAfterMs).toBeGreaterThan(25_000);
    expect(fromDate.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(graphErrorFor(graphError(429, 'TooManyRequests'), 'x').retryAfterMs).toBeUndefined();
  });

  it('treats a network failure (the SDK reports status -1) as TRANSIENT without an upstream status', () => {
    const network = new GraphError(-1, 'fetch failed');
    network.code = 'TypeError';
    const mapped = graphErrorFor(network, 'reading user 1');
    expect(mapped.code).toBe('TRANSIENT');
    expect(mapped.upstreamStatus).toBeUndefined();
    expect(mapped.upstreamCode).toBeUndefined();
    expect(graphErrorFor(new TypeError('fetch failed'), 'x').code).toBe('TRANSIENT');
  });

  it('passes our own errors through, including those carried inside a GraphClientError', () => {
    const own = new AppError('UNAUTHORIZED', 'Entra ID refused');
    expect(graphErrorFor(own, 'x')).toBe(own);
    const carrier = new GraphClientError(own.message);
    carrier.customError = own;
    expect(graphErrorFor(carrier, 'x')).toBe(own);
  });
});
