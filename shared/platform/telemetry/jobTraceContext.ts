import { type Attributes, type Context, SpanKind, context, propagation } from '@opentelemetry/api';
import { type SyncJob, TraceparentSchema } from '../../app/jobs/SyncJob';
import { SpanAttribute, withSpan } from './tracing';

/** What identifies a job's sync on its spans: tenant, trigger, feature, mode and run (when known), message id. */
export function jobSpanAttributes(job: SyncJob, messageId?: string): Attributes {
  return {
    [SpanAttribute.tenantId]: job.tenantId,
    [SpanAttribute.trigger]: job.trigger,
    ...(job.kind === 'sync'
      ? {
          [SpanAttribute.feature]: job.feature,
          [SpanAttribute.mode]: job.mode,
          ...(job.runId ? { [SpanAttribute.runId]: job.runId } : {}),
        }
      : {}),
    ...(messageId ? { [SpanAttribute.messageId]: messageId } : {}),
  };
}

/** The job carrying the active trace's traceparent; unchanged when no trace is active (telemetry off). */
function withActiveTraceparent(job: SyncJob): SyncJob {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const traceparent = TraceparentSchema.safeParse(carrier.traceparent);
  return traceparent.success ? { ...job, traceparent: traceparent.data } : job;
}

/**
 * Sends a job inside an `enqueue` span, the job carrying that span's traceparent so the worker's `sync run`
 * continues the producer's trace. Both queue adapters send through here, so every producer gets it. The
 * message id is the caller's, computed before: the traceparent never changes it or duplicate detection.
 */
export function enqueueInSpan(job: SyncJob, messageId: string, send: (traced: SyncJob) => Promise<void>): Promise<void> {
  return withSpan('enqueue', { kind: SpanKind.PRODUCER, attributes: jobSpanAttributes(job, messageId) }, () =>
    send(withActiveTraceparent(job)),
  );
}

/** The context a job runs in: the trace of the code that queued it, else the active one (a job queued untraced). */
export function jobTraceContext(job: Pick<SyncJob, 'traceparent'>): Context {
  return job.traceparent ? propagation.extract(context.active(), { traceparent: job.traceparent }) : context.active();
}
