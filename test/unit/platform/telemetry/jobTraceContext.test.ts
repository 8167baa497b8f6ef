import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { type FeatureSyncJob, SyncJobSchema } from '../../../../shared/app/jobs/SyncJob';
import { InProcessJobQueue } from '../../../../shared/platform/queue/InProcessJobQueue';
import { ServiceBusJobQueue } from '../../../../shared/platform/queue/ServiceBusJobQueue';
import { type ServiceBusClientLike } from '../../../../shared/platform/queue/ServiceBusClientLike';
import { jobTraceContext } from '../../../../shared/platform/telemetry/jobTraceContext';
import { connectorTracer } from '../../../../shared/platform/telemetry/tracing';
import { type SyncJob } from '../../../../shared/app/jobs/SyncJob';
import { type SpanRecording, recordSpans } from './recordSpans';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const job = (overrides: Partial<FeatureSyncJob> = {}): FeatureSyncJob => ({
  kind: 'sync',
  jobId: 'job-1',
  tenantId: 'contoso',
  lane: 'directory',
  trigger: 'notification',
  requestedAt: '2026-01-01T00:00:00.000Z',
  feature: 'users',
  mode: 'delta',
  ...overrides,
});

/** A Service Bus client whose sender keeps what it was given. */
function recordingServiceBus() {
  const sent: { messageId?: unknown; body: SyncJob; applicationProperties?: Record<string, unknown> }[] = [];
  const client = {
    createSender: () => ({
      sendMessages: async (message: (typeof sent)[number]) => {
        sent.push(message);
      },
      close: async () => {},
    }),
    close: async () => {},
  } as unknown as ServiceBusClientLike;
  return { client, sent };
}

describe('the traceparent of a sync job', () => {
  it('is optional, and accepted only as a W3C version-00 traceparent', () => {
    expect(SyncJobSchema.safeParse(job()).success).toBe(true);
    expect(SyncJobSchema.safeParse(job({ traceparent: TRACEPARENT })).success).toBe(true);
    for (const malformed of [
      '',
      'not-a-traceparent',
      TRACEPARENT.toUpperCase(),
      TRACEPARENT.replace(/^00/, '01'),
      TRACEPARENT.slice(0, -1),
      `${TRACEPARENT}-extra`,
    ]) {
      expect(SyncJobSchema.safeParse(job({ traceparent: malformed })).success, malformed).toBe(false);
    }
  });
});

describe('without a tracer provider (telemetry off)', () => {
  it('a queued job carries no traceparent and runs in the active context', async () => {
    const { client, sent } = recordingServiceBus();
    await new ServiceBusJobQueue(client, 'jobs').enqueue(job());
    expect(sent[0]!.body).not.toHaveProperty('traceparent');
    expect(jobTraceContext(job())).toBe(context.active());
  });
});

describe('with a tracer provider', () => {
  let recording: SpanRecording;
  beforeEach(() => {
    recording = recordSpans();
  });
  afterEach(async () => {
    await recording.stop();
  });

  it('the in-process queue delivers the job with the traceparent of its enqueue span, in the producer trace', async () => {
    const queue = new InProcessJobQueue();
    const delivered: SyncJob[] = [];
    queue.start(async (received) => {
      delivered.push(received);
    });
    const producer = connectorTracer().startSpan('producer');
    await context.with(trace.setSpan(context.active(), producer), () => queue.enqueue(job(), { messageId: 'message-1' }));
    producer.end();
    await queue.idle();
    await queue.close();

    const [enqueue] = recording.named('enqueue');
    expect(enqueue!.kind).toBe(SpanKind.PRODUCER);
    expect(enqueue!.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(enqueue!.attributes).toMatchObject({
      'tenant.id': 'contoso',
      'sync.feature': 'users',
      'sync.mode': 'delta',
      'sync.trigger': 'notification',
      'messaging.message_id': 'message-1',
    });
    expect(delivered[0]!.traceparent).toBe(`00-${producer.spanContext().traceId}-${enqueue!.spanContext().spanId}-01`);
  });

  it('a job runs as a child of the span its traceparent names', () => {
    const child = connectorTracer().startSpan('worker', {}, jobTraceContext(job({ traceparent: TRACEPARENT })));
    child.end();
    expect(child.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect((child as unknown as { parentSpanId?: string }).parentSpanId).toBe('b7ad6b7169203331');
  });

  it('the traceparent changes neither the Service Bus message id nor in-process duplicate detection', async () => {
    const { client, sent } = recordingServiceBus();
    const serviceBus = new ServiceBusJobQueue(client, 'jobs');
    const inProcess = new InProcessJobQueue();
    for (const name of ['first trace', 'second trace']) {
      await connectorTracer().startActiveSpan(name, async (span) => {
        await serviceBus.enqueue(job());
        await inProcess.enqueue(job());
        span.end();
      });
    }
    expect(sent.map((message) => message.messageId)).toEqual(['job-1', 'job-1']);
    expect(sent[0]!.body.traceparent).toMatch(/^00-/);
    expect(sent[0]!.body.traceparent).not.toBe(sent[1]!.body.traceparent);
    expect(inProcess.stats()).toMatchObject({ enqueued: 1, deduplicated: 1 });
    await inProcess.close();
  });

  it('a failed send is recorded on its enqueue span', async () => {
    const client = {
      createSender: () => ({
        sendMessages: async () => {
          throw new Error('namespace unreachable');
        },
        close: async () => {},
      }),
      close: async () => {},
    } as unknown as ServiceBusClientLike;
    await expect(new ServiceBusJobQueue(client, 'jobs').enqueue(job())).rejects.toThrow();
    const [enqueue] = recording.named('enqueue');
    expect(enqueue!.status.code).toBe(2); // SpanStatusCode.ERROR
    expect(enqueue!.events.map((event) => event.name)).toContain('exception');
  });
});
