import { afterAll, beforeAll } from 'vitest';
import { GraphSandbox, type GraphSandboxOptions } from '../../sandbox/graph';
import { PortSipSandbox } from '../../sandbox/portsip';

/**
 * Starts a sandbox Graph tenant and a sandbox PortSIP PBX for the test file (beforeAll) and stops them after
 * it (afterAll). The PBX's rate limit is raised so tests measure behaviour, not pacing.
 */
export function useSandboxes(graphOptions: GraphSandboxOptions = {}): { readonly graph: GraphSandbox; readonly pbx: PortSipSandbox } {
  let graph: GraphSandbox | undefined;
  let pbx: PortSipSandbox | undefined;
  beforeAll(async () => {
    graph = await GraphSandbox.start(graphOptions);
    pbx = await PortSipSandbox.start({ rateLimitPerMinute: 600_000 });
  });
  afterAll(async () => {
    await graph?.stop();
    await pbx?.stop();
  });
  return {
    get graph() {
      if (!graph) throw new Error('the sandboxes start in beforeAll');
      return graph;
    },
    get pbx() {
      if (!pbx) throw new Error('the sandboxes start in beforeAll');
      return pbx;
    },
  };
}
