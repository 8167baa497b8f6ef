/**
 * The pages of a delta round with the next one already being read while the caller works on the current
 * one, so the Graph round trip overlaps the PBX writes. Only reading runs ahead, one page: a failed read
 * surfaces only when that page is asked for, after the caller took every earlier page.
 */
export async function* readAhead<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  let next = iterator.next();
  let finished = false;
  try {
    for (;;) {
      const current = await next;
      if (current.done) {
        finished = true;
        return;
      }
      next = iterator.next();
      next.catch(() => undefined); // awaited when its turn comes; not an unhandled rejection meanwhile
      yield current.value;
    }
  } catch (err) {
    finished = true;
    throw err;
  } finally {
    // The caller stopped early (its page failed): close the source once the read under way settles.
    if (!finished)
      void next
        .then(
          () => iterator.return?.(),
          () => undefined,
        )
        .catch(() => undefined);
  }
}
