import { ManagedIdentityCredential } from '@azure/identity';
import { AzureFunctionsInstrumentation } from '@azure/functions-opentelemetry-instrumentation';
import { type AzureMonitorOpenTelemetryOptions, useAzureMonitor } from '@azure/monitor-opentelemetry';
import { z } from 'zod';
import { AppError } from '../../core/errors/AppError';
import { formatZodIssues } from '../../config/formatZodIssues';
import { httpInstrumentationOptions } from './redactQueryParameters';

const unsetWhenEmpty = (value: unknown) => (value === '' ? undefined : value);

/**
 * The app settings Application Insights reads. `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` is Microsoft's
 * Entra-auth setting: `Authorization=AAD` (system-assigned identity) or `ClientId=<guid>;Authorization=AAD`.
 */
const TelemetrySettingsSchema = z.object({
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.preprocess(unsetWhenEmpty, z.string().optional()),
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .regex(/^(ClientId=[0-9a-fA-F-]{36};)?Authorization=AAD$/, 'Authorization=AAD or ClientId=<guid>;Authorization=AAD')
      .optional(),
  ),
});

/**
 * What `useAzureMonitor` is given for these settings, or undefined when telemetry is off (no connection
 * string: local runs and tests export nothing).
 */
export function azureMonitorOptions(env: Record<string, string | undefined>): AzureMonitorOpenTelemetryOptions | undefined {
  const parsed = TelemetrySettingsSchema.safeParse(env);
  if (!parsed.success) throw new AppError('CONFIG', `invalid telemetry settings: ${formatZodIssues(parsed.error)}`);
  const { APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: authentication } =
    parsed.data;
  if (!connectionString) return undefined;
  const clientId = authentication && /^ClientId=([^;]+);/.exec(authentication)?.[1];
  const credential = authentication ? new ManagedIdentityCredential(clientId ? { clientId } : {}) : undefined;
  return {
    azureMonitorExporterOptions: { connectionString, ...(credential ? { credential } : {}) },
    instrumentationOptions: { http: httpInstrumentationOptions },
  };
}

let started = false;

/**
 * Starts OpenTelemetry export to Application Insights, once per process, when the connection string is set;
 * otherwise does nothing. Returns whether telemetry is on.
 *
 * Called when the first function module loads (getServices), before any invocation: the Functions
 * instrumentation must tell the host, while the app starts, that this worker sends its own telemetry
 * (host.json `"telemetryMode": "OpenTelemetry"`), and hook each invocation so its handler runs in the host's
 * trace context.
 */
export function startTelemetry(env: Record<string, string | undefined> = process.env): boolean {
  if (started) return true;
  const options = azureMonitorOptions(env);
  if (!options) return false;
  useAzureMonitor(options);
  new AzureFunctionsInstrumentation();
  // The instrumentation patches @azure/functions when it is next required; the function module that imported
  // this one has already loaded it, so require it again now to apply the patch before any invocation.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@azure/functions');
  started = true;
  return true;
}
