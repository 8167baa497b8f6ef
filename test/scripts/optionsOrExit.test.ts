import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT_USAGE, optionsOrExit } from '../../shared/platform/local/optionsOrExit';

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

const exit = (code: number): never => {
  throw new Exit(code);
};

afterEach(() => vi.restoreAllMocks());

describe('optionsOrExit', () => {
  it('returns the options to run with', () => {
    expect(optionsOrExit({ kind: 'run', options: { tenant: 'demo' } }, exit)).toEqual({ tenant: 'demo' });
  });

  it('prints the usage on stdout and exits 0 for --help', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => optionsOrExit({ kind: 'help', usage: 'usage: x' }, exit)).toThrow(new Exit(0));
    expect(log).toHaveBeenCalledWith('usage: x');
    expect(error).not.toHaveBeenCalled();
  });

  it('prints the problem and the usage on stderr, without a stack, and exits 64', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let code: number | undefined;
    try {
      optionsOrExit({ kind: 'usageError', message: "Unknown option '--bogus'", usage: 'usage: x' }, exit);
    } catch (err) {
      code = (err as Exit).code;
    }
    expect(code).toBe(EXIT_USAGE);
    expect(EXIT_USAGE).toBe(64);
    expect(error).toHaveBeenCalledWith("Unknown option '--bogus'\nusage: x");
    expect(log).not.toHaveBeenCalled();
  });
});
