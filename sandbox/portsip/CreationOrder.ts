/**
 * Items in the order they were added, with removal and "the k-th live item" in O(log n), so that a
 * `skip`/`top` page costs O(top · log n) however many items (100,000 extensions) came before it. Removed
 * items leave empty slots, counted out by a Fenwick tree and compacted away once they outnumber the living.
 */
export class CreationOrder<T> {
  private slots: Array<T | undefined> = [];
  private tree: number[] = [0];
  private readonly slotOf = new Map<T, number>();

  get size(): number {
    return this.slotOf.size;
  }

  add(item: T): void {
    if (this.slotOf.has(item)) return;
    if (this.slots.length + 1 >= this.tree.length) this.rebuild(Math.max(16, this.slotOf.size * 2 + 1));
    this.slots.push(item);
    this.slotOf.set(item, this.slots.length);
    this.bump(this.slots.length, 1);
  }

  remove(item: T): void {
    const slot = this.slotOf.get(item);
    if (slot === undefined) return;
    this.slotOf.delete(item);
    this.slots[slot - 1] = undefined;
    this.bump(slot, -1);
    const empty = this.slots.length - this.slotOf.size;
    if (empty > 1024 && empty > this.slotOf.size) this.rebuild(this.slotOf.size * 2 + 16);
  }

  /** Up to `count` live items starting at the 0-based position `start`. */
  slice(start: number, count: number): T[] {
    const out: T[] = [];
    for (let k = start; k < Math.min(this.size, start + count); k += 1) out.push(this.slots[this.slotOfRank(k + 1) - 1]!);
    return out;
  }

  values(): T[] {
    return this.slots.filter((item): item is T => item !== undefined);
  }

  /** Live items first (compacting), then a tree sized for `capacity` slots. */
  private rebuild(capacity: number): void {
    const live = this.values();
    this.slots = live;
    this.tree = new Array<number>(capacity + 1).fill(0);
    live.forEach((item, i) => this.slotOf.set(item, i + 1));
    // Linear Fenwick build: every node passes its total to its parent, empty tail nodes included.
    for (let i = 1; i < this.tree.length; i += 1) {
      if (i <= live.length) this.tree[i]! += 1;
      const parent = i + (i & -i);
      if (parent < this.tree.length) this.tree[parent]! += this.tree[i]!;
    }
  }

  private bump(slot: number, delta: number): void {
    for (let i = slot; i < this.tree.length; i += i & -i) this.tree[i]! += delta;
  }

  /** The slot (1-based) holding the rank-th live item (1-based): a Fenwick descent. */
  private slotOfRank(rank: number): number {
    let slot = 0;
    let remaining = rank;
    for (let step = 1 << Math.floor(Math.log2(this.tree.length - 1)); step > 0; step >>= 1) {
      const next = slot + step;
      if (next < this.tree.length && this.tree[next]! < remaining) {
        slot = next;
        remaining -= this.tree[next]!;
      }
    }
    return slot + 1;
  }
}
