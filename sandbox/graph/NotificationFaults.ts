/** What happens to one change-notification item instead of plain batched delivery. */
export type NotificationFault =
  | { kind: 'drop' }
  | { kind: 'duplicate' }
  | { kind: 'delay'; ms: number }
  /** `groupSize`: how many items the reorder switch that queued this one holds back together. */
  | { kind: 'reorder'; groupSize: number }
  | { kind: 'forge' };

/**
 * Injected notification faults, one per item in the order they were queued (like FaultQueue does for
 * requests): `dropNext(2); forgeNext(1)` drops the next two items and forges the third.
 */
export class NotificationFaults {
  private readonly pending: NotificationFault[] = [];

  dropNext(count: number): void {
    this.push(count, { kind: 'drop' });
  }

  duplicateNext(count: number): void {
    this.push(count, { kind: 'duplicate' });
  }

  delayNext(count: number, ms: number): void {
    this.push(count, { kind: 'delay', ms });
  }

  reorderNext(count: number): void {
    this.push(count, { kind: 'reorder', groupSize: count });
  }

  forgeNext(count: number): void {
    this.push(count, { kind: 'forge' });
  }

  /** The fault for the next item, if any is queued. */
  next(): NotificationFault | undefined {
    return this.pending.shift();
  }

  clear(): void {
    this.pending.length = 0;
  }

  private push(count: number, fault: NotificationFault): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
    for (let i = 0; i < count; i += 1) this.pending.push(fault);
  }
}
