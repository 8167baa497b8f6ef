import { ensureError } from '../core/errors/ensureError';

/**
 * Runs `work` over items with at most `limit` in flight; resolves when all settled (never rejects).
 * `onAllStarted` is called once the last item has been handed to a worker (at once when there are none):
 * a caller pipelining batches can then start the next batch instead of letting the pool drain.
 */
export async function runWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  onAllStarted?: () => void,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      if (next === items.length) onAllStarted?.();
      await work(item);
    }
  };
  if (items.length === 0) onAllStarted?.();
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Like runWithConcurrency, for work that must all succeed: throws the first failure once every item has settled. */
export async function runEachOrThrow<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let failure: Error | undefined;
  await runWithConcurrency(items, limit, async (item) => {
    try {
      await work(item);
    } catch (caught) {
      failure ??= ensureError(caught);
    }
  });
  if (failure !== undefined) throw failure;
}
