import { describe, expect, it } from 'vitest';
import { CreationOrder } from '../../../sandbox/portsip/CreationOrder';

/** A small deterministic generator, so a failure replays. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('CreationOrder (the index behind O(page) user paging)', () => {
  it('pages exactly like a plain array through 20,000 random adds and removes, compactions included', () => {
    const random = seeded(7);
    const order = new CreationOrder<{ n: number }>();
    const reference: Array<{ n: number }> = [];
    for (let step = 0; step < 20_000; step += 1) {
      if (random() < 0.6 || reference.length === 0) {
        const item = { n: step };
        order.add(item);
        reference.push(item);
      } else {
        const [item] = reference.splice(Math.floor(random() * reference.length), 1);
        order.remove(item!);
      }
      if (step % 50 === 0) {
        const start = Math.floor(random() * (reference.length + 3));
        const count = 1 + Math.floor(random() * 100);
        expect(order.slice(start, count)).toEqual(reference.slice(start, start + count));
        expect(order.size).toBe(reference.length);
      }
    }
    expect(order.values()).toEqual(reference);
  });

  it('ignores adding an item twice and removing one it does not hold', () => {
    const order = new CreationOrder<string>();
    order.add('a');
    order.add('b');
    order.add('a');
    order.remove('zzz');
    expect(order.values()).toEqual(['a', 'b']);
    order.remove('a');
    order.remove('a');
    expect(order.slice(0, 10)).toEqual(['b']);
    expect(order.slice(1, 10)).toEqual([]);
  });
});
