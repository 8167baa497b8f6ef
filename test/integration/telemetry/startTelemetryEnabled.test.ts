import { createServer, type Server } from 'node:https';
import { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as functions from '@azure/functions';
import { shutdownAzureMonitor } from '@azure/monitor-opentelemetry';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { createSelfSignedCertificate } from '../../../shared/platform/certificates/selfSignedCertificate';
import { startTelemetry } from '../../../shared/platform/telemetry/startTelemetry';
import { withSpan } from '../../../shared/platform/telemetry/tracing';

// An Application Insights stand-in on this machine: whatever is exported lands here, nothing leaves it. HTTPS,
// because the exporters talk TLS whatever the endpoint's scheme says (against plain http their export at
// shutdown failed outside the test, as an unhandled error); its self-signed certificate is trusted for this
// file's process only.
let ingestion: Server;
const received: string[] = [];
const tlsCheckBefore = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

beforeAll(async () => {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED = 'true';
  process.env.APPLICATIONINSIGHTS_SDKSTATS_DISABLED = 'true';
  // Live metrics talk TLS to the live endpoint whatever its scheme: against this plain-http stand-in that fails
  // later, outside the test, as an unhandled error. The stand-in stands for ingestion only.
  process.env.APPLICATIONINSIGHTS_CONFIGURATION_CONTENT = JSON.stringify({
    enableLiveMetrics: false,
    enableStandardMetrics: false,
    enablePerformanceCounters: false,
  });
  const now = Date.now();
  const tls = await createSelfSignedCertificate({
    subject: 'CN=Application Insights stand-in',
    notBefore: new Date(now - 60 * 60_000),
    notAfter: new Date(now + 24 * 60 * 60_000),
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  ingestion = createServer({ key: tls.privateKeyPem, cert: tls.certificatePem }, (request, response) => {
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
  if (tlsCheckBefore === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = tlsCheckBefore;
  await new Promise((resolve) => ingestion.close(resolve));
});

describe('startTelemetry with APPLICATIONINSIGHTS_CONNECTION_STRING (outside the Functions host)', () => {
  it('registers the Azure Monitor tracer provider and the Functions instrumentation, once', async () => {
    const setup = vi.spyOn(functions.app, 'setup');
    const { port } = ingestion.address() as AddressInfo;
    const endpoint = `https://127.0.0.1:${port}/`;
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
