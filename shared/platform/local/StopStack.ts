/**
 * What a start sequence has started so far, stopped in reverse order: a failure half-way (a busy port) or a
 * signal stops exactly what exists. Stops run once; one that fails is reported and the rest still run.
 */
export class StopStack {
  private readonly stops: { name: string; stop: () => Promise<void> }[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly onError: (message: string) => void = (message) => console.error(message)) {}

  /** Registers a stop; once stopAll has begun, a late arrival (a start still in flight) is stopped at once. */
  add(name: string, stop: () => Promise<void>): void {
    if (this.stopping) {
      void this.stopping.then(() => this.run(name, stop));
      return;
    }
    this.stops.push({ name, stop });
  }

  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      for (let next = this.stops.pop(); next; next = this.stops.pop()) await this.run(next.name, next.stop);
    })();
    return this.stopping;
  }

  private async run(name: string, stop: () => Promise<void>): Promise<void> {
    try {
      await stop();
    } catch (err) {
      this.onError(`could not stop ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
