import { afterEach } from 'vitest';
import { ThreeCxSandbox, type ThreeCxSandboxOptions } from '../../sandbox/threecx';
import { ThreeCxConfigSchema } from '../../shared/config/TenantConfig';
import { createThreeCxConnection } from '../../shared/pbx/threecx/createThreeCxConnection';

/** A 3CX sandbox and a connection to it with its API client (pacing high enough not to slow the tests). */
export async function startThreeCx(options: ThreeCxSandboxOptions = {}) {
  const pbx = await ThreeCxSandbox.start(options);
  const connect = () => {
    const config = ThreeCxConfigSchema.parse({
      kind: '3cx',
      baseUrl: pbx.baseUrl,
      clientId: pbx.credentials.clientId,
      rateLimitPerMinute: 600_000,
    });
    return createThreeCxConnection(config, { clientSecret: pbx.credentials.clientSecret, origin: new URL(pbx.baseUrl).origin });
  };
  return { pbx, connection: connect(), connect };
}

/**
 * `startThreeCx` for a test file whose tests each start their own sandbox: the one a test started is stopped
 * after it (afterEach), so a failing test does not leave a server running.
 */
export function useThreeCxSandbox(): (options?: ThreeCxSandboxOptions) => ReturnType<typeof startThreeCx> {
  let running: ThreeCxSandbox | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  return async (options = {}) => {
    const started = await startThreeCx(options);
    running = started.pbx;
    return started;
  };
}
