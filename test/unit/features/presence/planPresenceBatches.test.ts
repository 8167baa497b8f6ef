import { describe, expect, it } from 'vitest';
import { type LinkedUser } from '../../../../shared/engine/LinkedUsers';
import { planPresenceBatches } from '../../../../shared/features/presence/planPresenceBatches';

const user = (n: number): LinkedUser => ({
  objectId: `${n.toString(16).padStart(8, '0')}-0000-4000-8000-00000000000${n % 10}`.toUpperCase(),
  pbxUserId: `p${n}`,
  extensionNumber: String(1000 + n),
  pbxUserName: `u${n}`,
  origin: 'created',
});
const OPTIONS = { pollSeconds: 30, reassertMinutes: 10 };

describe('planPresenceBatches', () => {
  it('cuts 10,000 users into ⌈10,000 / 650⌉ = 16 batches spread evenly across the first two thirds of the cycle', () => {
    const users = Array.from({ length: 10_000 }, (_, n) => user(n)).reverse();
    const slot = 60_000_000;
    const batches = planPresenceBatches(users, slot, OPTIONS);
    expect(batches).toHaveLength(16);
    expect(batches.map((b) => b.users.length)).toEqual([...Array(15).fill(650), 10_000 - 15 * 650]);
    const start = slot * 30_000;
    expect(batches.map((b) => b.startsAt.getTime() - start)).toEqual(
      Array.from({ length: 16 }, (_, i) => Math.floor((i * (2 / 3) * 30_000) / 16)),
    );
    expect(batches.at(-1)!.startsAt.getTime() - start).toBeLessThanOrEqual(20_000);
    // Every user exactly once, in key order.
    const keys = batches.flatMap((b) => b.users.map((u) => u.objectId.toLowerCase()));
    expect(new Set(keys).size).toBe(10_000);
    expect([...keys].sort()).toEqual(keys);
  });

  it('gives the batches contiguous key ranges that leave no id outside', () => {
    const batches = planPresenceBatches(
      Array.from({ length: 1_400 }, (_, n) => user(n)),
      7,
      OPTIONS,
    );
    expect(batches.map((b) => [b.after, b.through])).toEqual([
      [undefined, batches[0]!.users.at(-1)!.objectId.toLowerCase()],
      [batches[0]!.users.at(-1)!.objectId.toLowerCase(), batches[1]!.users.at(-1)!.objectId.toLowerCase()],
      [batches[1]!.users.at(-1)!.objectId.toLowerCase(), undefined],
    ]);
  });

  it('re-asserts each batch once every reassertMinutes, different batches on different cycles', () => {
    const users = Array.from({ length: 1_950 }, (_, n) => user(n));
    const reasserting = (slot: number) => planPresenceBatches(users, slot, OPTIONS).flatMap((b) => (b.reassert ? [b.index] : []));
    const perBatch = [0, 0, 0];
    for (let slot = 0; slot < 40; slot += 1) for (const index of reasserting(slot)) perBatch[index]! += 1;
    expect(perBatch).toEqual([2, 2, 2]);
    expect(reasserting(20)).toEqual([0]);
    expect(reasserting(19)).toEqual([1]);
  });

  it('plans one empty batch over every key for nobody, so the records of users who were synced go', () => {
    expect(planPresenceBatches([], 1, OPTIONS)).toEqual([
      { index: 0, startsAt: new Date(30_000), after: undefined, through: undefined, reassert: false, users: [] },
    ]);
  });
});
