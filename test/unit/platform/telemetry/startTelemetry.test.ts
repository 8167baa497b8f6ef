import { Socket } from 'node:net';
import { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ManagedIdentityCredential } from '@azure/identity';
import { type Span, trace } from '@opentelemetry/api';
import { azureMonitorOptions, startTelemetry } from '../../../../shared/platform/telemetry/startTelemetry';
import { httpInstrumentationOptions, redactQuery } from '../../../../shared/platform/telemetry/redactQueryParameters';

const CONNECTION_STRING = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/';

describe('startTelemetry', () => {
  it('does nothing without APPLICATIONINSIGHTS_CONNECTION_STRING: no tracer provider is registered', () => {
    expect(startTelemetry({})).toBe(false);
    expect(startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: '' })).toBe(false);
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});

describe('azureMonitorOptions', () => {
  it('exports with the connection string, redacting secrets from HTTP spans', () => {
    const options = azureMonitorOptions({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING });
    expect(options?.azureMonitorExporterOptions).toEqual({ connectionString: CONNECTION_STRING });
    expect(options?.instrumentationOptions?.http).toBe(httpInstrumentationOptions);
  });

  it('authenticates the exporter with the managed identity APPLICATIONINSIGHTS_AUTHENTICATION_STRING names', () => {
    for (const authentication of ['ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD', 'Authorization=AAD']) {
      const options = azureMonitorOptions({
        APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: authentication,
      });
      expect(options?.azureMonitorExporterOptions?.credential).toBeInstanceOf(ManagedIdentityCredential);
    }
  });

  it('refuses an authentication string it cannot read rather than exporting without it', () => {
    expect(() =>
      azureMonitorOptions({
        APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=x',
      }),
    ).toThrow(/APPLICATIONINSIGHTS_AUTHENTICATION_STRING/);
  });
});

describe('query redaction', () => {
  it('replaces the values of code, validationToken and clientState (any case), keeping the rest', () => {
    const redacted = redactQuery('code=functionKey123&validationToken=tok%20en&ClientState=s3cret&tenant=contoso');
    expect(redacted).not.toMatch(/functionKey123|tok|s3cret/);
    expect(new URLSearchParams(redacted).get('code')).toBe('REDACTED');
    expect(new URLSearchParams(redacted).get('tenant')).toBe('contoso');
    expect(redactQuery('tenant=contoso&page=2')).toBe('tenant=contoso&page=2');
  });

  it('overwrites url.query of an incoming request; leaves an outgoing one to redactedQueryParams', () => {
    const attributes: Record<string, unknown> = {};
    const span = { setAttribute: (key: string, value: unknown) => (attributes[key] = value) } as unknown as Span;
    const incoming = new IncomingMessage(new Socket());
    incoming.url = '/api/admin/tenants?code=functionKey123';
    httpInstrumentationOptions.requestHook(span, incoming);
    expect(attributes['url.query']).toBe('code=REDACTED');
    httpInstrumentationOptions.requestHook(span, { path: '/x?code=other' });
    expect(attributes['url.query']).toBe('code=REDACTED');
    expect(httpInstrumentationOptions.redactedQueryParams).toEqual(
      expect.arrayContaining(['code', 'validationToken', 'clientState', 'sig']),
    );
  });
});
