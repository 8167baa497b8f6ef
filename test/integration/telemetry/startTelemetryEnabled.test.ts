import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as functions from '@azure/functions';
import { shutdownAzureMonitor } from '@azure/monitor-opentelemetry';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { startTelemetry } from '../../../shared/platform/telemetry/startTelemetry';
import { withSpan } from '../../../shared/platform/telemetry/tracing';

// An Application Insights stand-in on this machine: whatever is exported lands here, nothing leaves it.
let ingestion: Server;
const received: string[] = [];

beforeAll(async () => {
  process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED = 'true';
  process.env.APPLICATIONINSIGHTS_SDKSTATS_DISABLED = 'true';
  // Live metrics talk TLS to the live endpoint whatever its scheme: against this plain-http stand-in that fails
  // later, outside the test, as an unhandled error. The stand-in stands for ingestion only.
  process.env.APPLICATIONINSIGHTS_CONFIGURATION_CONTENT = JSON.stringify({
    enableLiveMetrics: false,
    enableStandardMetrics: false,
    enablePerformanceCounters: false,
  });
  ingestion = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(body);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => ingestion.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await shutdownAzureMonitor();
  delete process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED;
  delete process.env.APPLICATIONINSIGHTS_SDKSTATS_DISABLED;
  delete process.env.APPLICATIONINSIGHTS_CONFIGURATION_CONTENT;
  await new Promise((resolve) => ingestion.close(resolve));
});

describe('startTelemetry with APPLICATIONINSIGHTS_CONNECTION_STRING (outside the Functions host)', () => {
  it('registers the Azure Monitor tracer provider and the Functions instrumentation, once', async () => {
    const setup = vi.spyOn(functions.app, 'setup');
    const { port } = ingestion.address() as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}/`;
    const env = {
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=${endpoint};LiveEndpoint=${endpoint}`,
    };
    expect(startTelemetry(env)).toBe(true);
    expect(startTelemetry(env)).toBe(true);
    expect(setup).toHaveBeenCalledWith({ capabilities: { WorkerOpenTelemetryEnabled: true } });
    expect(setup).toHaveBeenCalledTimes(1);

    // A no-op tracer gives every span the invalid context; the SDK's carries a real trace id even when its
    // sampler (rate-limited by default) drops the span.
    await withSpan('sync run', { attributes: { 'tenant.id': 'contoso' } }, async (span) => {
      expect(isSpanContextValid(span.spanContext())).toBe(true);
      expect(trace.getActiveSpan()).toBe(span);
    });
  });
});
