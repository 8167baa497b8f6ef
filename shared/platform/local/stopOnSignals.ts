export interface SignalOptions {
  /** process.exit, replaced in tests. */
  exit?: (code: number) => void;
  log?: (message: string) => void;
  /** The exit code after a clean stop; default 0 (stopping a server is its normal end). */
  exitCode?: (signal: NodeJS.Signals) => number;
}

/**
 * On SIGINT or SIGTERM, runs `stop` and exits (0 unless told otherwise); a second signal while stopping exits 1 at once, for a
 * user who does not want to wait. Returns a function that removes the handlers.
 */
export function stopOnSignals(stop: () => Promise<void>, options: SignalOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? ((message: string) => console.log(message));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting without waiting`);
      exit(1);
      return;
    }
    stopping = true;
    log(`${signal}: stopping…`);
    void stop().then(
      () => exit(options.exitCode?.(signal) ?? 0),
      () => exit(1),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
