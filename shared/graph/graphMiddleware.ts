import type { AuthenticationProvider, Context, Middleware } from '@microsoft/microsoft-graph-client';

/**
 * Adds the bearer token to every request. (The SDK's AuthenticationHandler only does so for https Graph
 * hosts; ours also serves the loopback sandbox, and this client never talks to any other host.)
 */
export class BearerTokenMiddleware implements Middleware {
  private next?: Middleware;
  constructor(private readonly provider: AuthenticationProvider) {}

  async execute(context: Context): Promise<void> {
    const token = await this.provider.getAccessToken();
    const headers = new Headers((context.options?.headers as ConstructorParameters<typeof Headers>[0]) ?? (context.request instanceof Request ? context.request.headers : undefined));
    headers.set('Authorization', `Bearer ${token}`);
    context.options = { ...(context.options ?? {}), headers };
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** Counts every HTTP request that leaves (placed after the retry handler, so retries count). */
export class RequestCountingMiddleware implements Middleware {
  private next?: Middleware;
  count = 0;

  async execute(context: Context): Promise<void> {
    this.count += 1;
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
