import { afterEach, describe, expect, it } from 'vitest';
import { stopOnSignals } from '../../../shared/platform/local/stopOnSignals';

let remove: (() => void) | undefined;
afterEach(() => remove?.());

/** Resolves with the exit code once the handler exits. */
function watch(stop: () => Promise<void>, exitCode?: (signal: NodeJS.Signals) => number) {
  const codes: number[] = [];
  const logs: string[] = [];
  let exited!: () => void;
  const done = new Promise<void>((resolve) => (exited = resolve));
  remove = stopOnSignals(stop, {
    exit: (code) => {
      codes.push(code);
      exited();
    },
    log: (m) => logs.push(m),
    ...(exitCode ? { exitCode } : {}),
  });
  return { codes, logs, done };
}

describe('stopOnSignals', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('stops everything on %s, then exits 0', async (signal) => {
    let stops = 0;
    const { codes, logs, done } = watch(async () => void (stops += 1));
    process.emit(signal, signal);
    await done;
    expect(stops).toBe(1);
    expect(codes).toEqual([0]);
    expect(logs).toEqual([`${signal}: stopping…`]);
  });

  it('exits with the code asked for, and 1 when the stop fails', async () => {
    const asked = watch(
      async () => undefined,
      (signal) => (signal === 'SIGTERM' ? 143 : 130),
    );
    process.emit('SIGTERM', 'SIGTERM');
    await asked.done;
    expect(asked.codes).toEqual([143]);
    remove?.();
    const failing = watch(() => Promise.reject(new Error('stuck')));
    process.emit('SIGINT', 'SIGINT');
    await failing.done;
    expect(failing.codes).toEqual([1]);
  });

  it('a second signal while stopping exits 1 without waiting', async () => {
    let finish!: () => void;
    const { codes } = watch(() => new Promise<void>((resolve) => (finish = resolve)));
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    expect(codes).toEqual([1]);
    finish();
  });

  it('removes its handlers', () => {
    const before = process.listenerCount('SIGTERM');
    const off = stopOnSignals(async () => undefined, { exit: () => undefined, log: () => undefined });
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    off();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
