import {
  type Attributes,
  type Context,
  type Span,
  type SpanKind,
  SpanStatusCode,
  type Tracer,
  ROOT_CONTEXT,
  context,
  trace,
} from '@opentelemetry/api';
import { ensureError } from '../../core/errors/ensureError';

/**
 * The tracer of the connector's own spans. Without a registered tracer provider (no
 * APPLICATIONINSIGHTS_CONNECTION_STRING: local runs, tests) its spans are no-ops and cost nothing. Looked up
 * on each use rather than kept: a kept tracer stays bound to the first provider it saw, and tests replace theirs.
 */
export function connectorTracer(): Tracer {
  return trace.getTracer('m365-pbx-connector');
}

/** The attribute names of our spans, so a sync can be found in Application Insights by any of them. */
export const SpanAttribute = {
  tenantId: 'tenant.id',
  feature: 'sync.feature',
  runId: 'sync.run_id',
  mode: 'sync.mode',
  trigger: 'sync.trigger',
  messageId: 'messaging.message_id',
} as const;

/** Marks a span failed: the exception as an event (message and stack, never a request body) and error status. */
export function recordSpanFailure(span: Span, failure: unknown): void {
  const err = ensureError(failure);
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}

/**
 * Runs `work` in a new span, active for everything it awaits (queue sends, HTTP calls), and ends it. A
 * thrown failure is recorded on the span and rethrown unchanged.
 */
export async function withSpan<T>(
  name: string,
  options: { attributes?: Attributes; kind?: SpanKind; parent?: Context },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const { parent = context.active(), ...spanOptions } = options;
  return connectorTracer().startActiveSpan(name, spanOptions, parent, async (span): Promise<T> => {
    try {
      return await work(span);
    } catch (failure) {
      recordSpanFailure(span, failure);
      throw failure;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs `work` outside whatever trace is active. A queue delivers a job in its own context (the job's
 * traceparent), not in that of the code that happened to wake the queue.
 */
export function outsideAnyTrace<T>(work: () => T): T {
  return context.with(ROOT_CONTEXT, work);
}
