import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/** Counts every HTTP request that leaves; it sits after the retry handler, so each retry counts too. */
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
