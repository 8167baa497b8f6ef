/**
 * Which ids changed after a given sequence number, without scanning the whole tenant: an incremental delta
 * round over 100,000 users with a handful of changes then costs O(changes), not O(users).
 */
export class ChangeLog {
  // Appended in sequence order, so it stays sorted by seq and can be binary-searched.
  private entries: { seq: number; id: string }[] = [];
  private ids = new Set<string>();

  clear(): void {
    this.entries = [];
    this.ids.clear();
  }

  record(seq: number, id: string): void {
    this.entries.push({ seq, id });
    this.ids.add(id);
    // Only an id's latest entry matters, so old ones are dropped once they outnumber the ids (amortised O(1)).
    if (this.entries.length > 2 * this.ids.size + 1024) this.compact();
  }

  /** Each id with a change after `since`, once. */
  idsChangedAfter(since: number): string[] {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entries[mid]!.seq > since) high = mid;
      else low = mid + 1;
    }
    const changed = new Set<string>();
    for (let i = low; i < this.entries.length; i += 1) changed.add(this.entries[i]!.id);
    return [...changed];
  }

  private compact(): void {
    const seen = new Set<string>();
    const kept: { seq: number; id: string }[] = [];
    for (let i = this.entries.length - 1; i >= 0; i -= 1) {
      const entry = this.entries[i]!;
      if (seen.has(entry.id)) continue;
      seen.add(entry.id);
      kept.push(entry);
    }
    this.entries = kept.reverse();
    this.ids = seen;
  }
}
