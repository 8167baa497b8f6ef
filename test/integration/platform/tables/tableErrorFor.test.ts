import { RestError } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/core/errors/AppError';
import { tableErrorFor } from '../../../../shared/platform/tables/tableErrorFor';

const restError = (statusCode?: number, code?: string) =>
  new RestError('boom', { ...(statusCode === undefined ? {} : { statusCode }), ...(code === undefined ? {} : { code }) });

describe('tableErrorFor', () => {
  it.each([
    [404, 'NOT_FOUND'],
    [409, 'CONFLICT'],
    [412, 'PRECONDITION_FAILED'],
    [403, 'CONFIG'],
    [400, 'INTERNAL'],
    [408, 'TRANSIENT'],
    [429, 'TRANSIENT'],
    [500, 'TRANSIENT'],
    [503, 'TRANSIENT'],
  ] as const)('maps HTTP %i to %s', (status, code) => {
    const mapped = tableErrorFor(restError(status, 'SomeCode'), 'tenant acme');
    expect(mapped.code).toBe(code);
    expect(mapped.upstreamStatus).toBe(status);
    expect(mapped.message).toMatch(/^tenant acme: /);
  });

  it('treats a failure without a response as a network problem', () => {
    expect(tableErrorFor(restError(undefined, 'REQUEST_SEND_ERROR'), 'runs').code).toBe('TRANSIENT');
  });

  it('keeps AppErrors and calls other failures bugs', () => {
    const own = new AppError('INTERNAL', 'mine');
    expect(tableErrorFor(own, 'x')).toBe(own);
    expect(tableErrorFor(new TypeError('undefined is not a function'), 'x').code).toBe('INTERNAL');
  });
});
