import { loadAppSettings } from '../config/AppSettings';
import { createServices } from './createServices';
import { type Services } from './Services';
import { startTelemetry } from '../platform/telemetry/startTelemetry';

// Every function module imports this one, so telemetry starts once per process, before any invocation.
startTelemetry();

let services: Promise<Services> | undefined;

/** The process-wide services, built on first use from the app settings (parsed once). */
export function getServices(): Promise<Services> {
  services ??= createServices(loadAppSettings()).catch((err: unknown) => {
    services = undefined; // a later invocation retries instead of caching the failure
    throw err;
  });
  return services;
}

/** For the local host and tests: use these services instead of building them from settings. */
export function setServices(value: Services): void {
  services = Promise.resolve(value);
}
