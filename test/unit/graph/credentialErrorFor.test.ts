import { describe, expect, it } from 'vitest';
import { credentialErrorFor } from '../../../shared/graph/credentialErrorFor';

describe('credentialErrorFor', () => {
  it("reports Entra ID's refusal as UNAUTHORIZED with the AADSTS code", () => {
    const refusal = new Error(
      'invalid_client: Error(s): 7000215 - Timestamp: Not Available - Description: ' +
        'AADSTS7000215: Invalid client secret provided. Trace ID: x - Correlation ID: y',
    );
    refusal.name = 'AuthenticationRequiredError';
    const mapped = credentialErrorFor(refusal);
    expect(mapped.code).toBe('UNAUTHORIZED');
    expect(mapped.upstreamCode).toBe('AADSTS7000215');
    expect(mapped.message).toContain('AADSTS7000215: Invalid client secret provided');
  });

  it('treats an unreachable login host as TRANSIENT', () => {
    const unreachable = new Error('endpoints_resolution_error: See https://aka.ms/msal.js.errors#endpoints_resolution_error for details');
    unreachable.name = 'CredentialUnavailableError';
    expect(credentialErrorFor(unreachable).code).toBe('TRANSIENT');
  });
});
