import { AppError } from '../core/errors/AppError';

/** A feature's PBX port, or INVALID saying the tenant cannot have the feature (its adapter lacks the port). */
export function requirePort<T>(port: T | undefined, what: string, productName: string): T {
  if (!port) throw new AppError('INVALID', `the connector cannot write ${what} on ${productName} for this tenant: turn the feature off`);
  return port;
}
