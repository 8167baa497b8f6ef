import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { withSpan } from '../../../../shared/platform/telemetry/tracing';
import { type SpanRecording, recordSpans } from './recordSpans';

let recording: SpanRecording;
beforeAll(() => {
  recording = recordSpans();
});
afterAll(async () => {
  await recording.stop();
});
let before = 0;
beforeEach(() => {
  before = recording.spans().length;
});
const recorded = () => recording.spans().slice(before);

describe('withSpan', () => {
  it('runs the work in an active span with the given attributes and kind, and ends it', async () => {
    const result = await withSpan('sync run', { kind: SpanKind.CONSUMER, attributes: { 'tenant.id': 'contoso' } }, async (span) => {
      expect(trace.getActiveSpan()).toBe(span);
      return 42;
    });
    expect(result).toBe(42);
    const [span] = recorded();
    expect(span).toMatchObject({ name: 'sync run', kind: SpanKind.CONSUMER, attributes: { 'tenant.id': 'contoso' } });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records a failure as an exception event and error status, and rethrows it unchanged', async () => {
    const failure = new Error('PBX unreachable');
    await expect(
      withSpan('pbx request', {}, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    const [span] = recorded();
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'PBX unreachable' });
    expect(span!.events[0]).toMatchObject({ name: 'exception', attributes: { 'exception.message': 'PBX unreachable' } });
  });

  it('nests: a span started inside is its child', async () => {
    await withSpan('outer', {}, () => withSpan('inner', {}, async () => undefined));
    const [inner, outer] = recorded();
    expect(inner!.parentSpanId).toBe(outer!.spanContext().spanId);
    expect(inner!.spanContext().traceId).toBe(outer!.spanContext().traceId);
  });
});
