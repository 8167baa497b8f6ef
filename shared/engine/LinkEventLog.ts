import { type LinkEvent, type LinkEventBatch } from './LinkEvent';

/** Collects one run's link events (see LinkEventBatch for why only the first are kept). */
export class LinkEventLog {
  static readonly MAX_EVENTS = 1000;
  private readonly batch: LinkEventBatch;

  constructor(
    tenantId: string,
    /** The feature whose links the run writes. */
    readonly feature: string,
  ) {
    this.batch = { tenantId, feature, counts: { linked: 0, unlinked: 0, numberChanged: 0 }, events: [], truncated: false };
  }

  add(event: LinkEvent): void {
    this.batch.counts[event.kind] += 1;
    if (this.batch.events.length < LinkEventLog.MAX_EVENTS) this.batch.events.push(event);
    else this.batch.truncated = true;
  }

  get isEmpty(): boolean {
    return this.batch.counts.linked + this.batch.counts.unlinked + this.batch.counts.numberChanged === 0;
  }

  snapshot(): LinkEventBatch {
    return { ...this.batch, counts: { ...this.batch.counts }, events: [...this.batch.events] };
  }
}
