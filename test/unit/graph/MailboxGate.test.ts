import { afterEach, describe, expect, it, vi } from 'vitest';
import { MailboxGate } from '../../../shared/graph/MailboxGate';

/** A task that stays in flight until `finish()` is called. */
function pending(): { task: () => Promise<string>; finish: (value?: string) => void; started: () => boolean } {
  let resolve!: (value: string) => void;
  let started = false;
  const promise = new Promise<string>((r) => (resolve = r));
  return {
    task: () => {
      started = true;
      return promise;
    },
    finish: (value = 'done') => resolve(value),
    started: () => started,
  };
}

const tick = () => new Promise((r) => setImmediate(r));

afterEach(() => {
  vi.useRealTimers();
});

describe('MailboxGate', () => {
  it('lets at most 4 requests of one mailbox run at once; the next waits for a free slot, in order', async () => {
    const gate = new MailboxGate(4);
    const tasks = Array.from({ length: 6 }, () => pending());
    const results = tasks.map((t, i) => gate.run('Anna@Contoso.com', t.task).then(() => i));
    await tick();
    expect(tasks.map((t) => t.started())).toEqual([true, true, true, true, false, false]);
    expect(gate.inFlight('anna@contoso.com')).toBe(4);
    tasks[2]!.finish();
    await tick();
    expect(tasks.map((t) => t.started())).toEqual([true, true, true, true, true, false]);
    for (const t of tasks) t.finish();
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(gate.inFlight('anna@contoso.com')).toBe(0);
  });

  it('keeps mailboxes apart: a full mailbox does not hold back another', async () => {
    const gate = new MailboxGate(4);
    const busy = Array.from({ length: 5 }, () => pending());
    busy.forEach((t) => void gate.run('a', t.task));
    const other = pending();
    void gate.run('b', other.task);
    await tick();
    expect(other.started()).toBe(true);
    expect(busy[4]!.started()).toBe(false);
    busy.forEach((t) => t.finish());
    other.finish();
  });

  it('a pause holds back the mailbox’s new and queued requests until it ends; other mailboxes go on', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    const gate = new MailboxGate(4);
    const first = pending();
    void gate.run('a', first.task);
    await vi.advanceTimersByTimeAsync(0);
    gate.pause('A', 2000);
    const queued = pending();
    void gate.run('a', queued.task);
    first.finish();
    const other = pending();
    void gate.run('b', other.task);
    await vi.advanceTimersByTimeAsync(1999);
    expect(queued.started()).toBe(false);
    expect(other.started()).toBe(true);
    // A pause extended meanwhile (another 429) is honoured too.
    gate.pause('a', 500);
    await vi.advanceTimersByTimeAsync(1);
    expect(queued.started()).toBe(false);
    await vi.advanceTimersByTimeAsync(499);
    expect(queued.started()).toBe(true);
    queued.finish();
    other.finish();
  });

  it('frees the slot when a task fails, and passes the failure on', async () => {
    const gate = new MailboxGate(1);
    await expect(gate.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run('a', () => Promise.resolve(7))).toBe(7);
    expect(gate.inFlight('a')).toBe(0);
  });
});
