import type { Client } from '@microsoft/microsoft-graph-client';

/**
 * A Graph port that follows no `@odata.nextLink` (presence reads and writes): it holds the connection's client
 * and its request counter. Built like every Graph port — `(client, versionRoot, requestCount)` from the
 * GraphConnection — so the composition root treats them all alike.
 */
export abstract class CountedGraphPort {
  constructor(
    protected readonly client: Client,
    // Unused: these calls follow no links; kept so every Graph port takes the same three arguments.
    _versionRoot: string,
    private readonly counter: () => number,
  ) {}

  requestCount(): number {
    return this.counter();
  }
}
