import { type DeltaDemandState, type DeltaDemandStore, type StoredDeltaDemand } from '../../shared/notifications/DeltaDemandStore';

/** The delta demand table in memory, with the same conditional-write contract (an ETag per write). */
export class InMemoryDeltaDemandStore implements DeltaDemandStore {
  readonly rows = new Map<string, StoredDeltaDemand>();
  reads = 0;
  writes = 0;
  private version = 0;
  /** Runs after a read took its snapshot and before it answers (tests slip other actors in between). */
  afterRead: (() => Promise<void> | void) | undefined;

  async get(tenantId: string, feature: string): Promise<StoredDeltaDemand | null> {
    this.reads += 1;
    await new Promise((r) => setTimeout(r, 1));
    const row = this.rows.get(`${tenantId}/${feature}`);
    const snapshot = row ? { ...row } : null;
    await this.afterRead?.();
    return snapshot;
  }

  async write(
    tenantId: string,
    feature: string,
    current: StoredDeltaDemand | null,
    next: DeltaDemandState,
  ): Promise<StoredDeltaDemand | null> {
    await new Promise((r) => setTimeout(r, 1));
    const key = `${tenantId}/${feature}`;
    const row = this.rows.get(key);
    if (current ? row?.etag !== current.etag : row !== undefined) return null;
    this.writes += 1;
    const { pendingSince, epoch, generation, pending } = next;
    const written: StoredDeltaDemand = {
      epoch,
      generation,
      pending,
      ...(pendingSince ? { pendingSince } : {}),
      etag: `v${++this.version}`,
    };
    this.rows.set(key, written);
    return { ...written };
  }
}
