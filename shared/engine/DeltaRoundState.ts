import { type DeltaState, type DeltaStateStore, type RoundMode, type SyncResource } from './DeltaStateStore';

/** The parts of a round that every checkpoint repeats (a resumed run reads them back). */
export interface RoundProgress {
  mode: RoundMode;
  startedAt: string;
  resumed: boolean;
}

/**
 * One run's view of its resource's delta state. Every save starts from the state last read or written,
 * so it carries that version (ETag): a second writer that slipped past the writer lease fails its save
 * instead of moving the other's checkpoint. Dry runs read the state and never write it.
 */
export class DeltaRoundState {
  private constructor(
    private readonly store: DeltaStateStore,
    private readonly key: { tenantId: string; resource: SyncResource; optionsHash: string },
    private readonly dryRun: boolean,
    private state: DeltaState,
  ) {}

  static async load(
    store: DeltaStateStore,
    key: { tenantId: string; resource: SyncResource; optionsHash: string },
    dryRun: boolean,
  ): Promise<DeltaRoundState> {
    const state = (await store.get(key.tenantId, key.resource)) ?? { tenantId: key.tenantId, resource: key.resource };
    return new DeltaRoundState(store, key, dryRun, state);
  }

  /** As stored when the run started or last saved. */
  get current(): DeltaState {
    return this.state;
  }

  /** A page and every page before it are done: a crash from here on resumes at `nextLink`. */
  checkpoint(nextLink: string, round: RoundProgress): Promise<void> {
    return this.save({ checkpointLink: nextLink, roundMode: round.mode, roundStartedAt: round.startedAt, roundResumed: round.resumed });
  }

  /** Graph refused the stored link: nothing of it is worth resuming, the next round is a fresh full one. */
  forgetRound(): Promise<void> {
    return this.save({ deltaLink: undefined, checkpointLink: undefined, roundMode: undefined, roundResumed: undefined });
  }

  /** The round and everything after it is done: the next run starts from `deltaLink`. */
  complete(deltaLink: string, completedAt: string): Promise<void> {
    return this.save({
      deltaLink,
      checkpointLink: undefined,
      roundMode: undefined,
      roundStartedAt: undefined,
      roundResumed: undefined,
      lastCompletedAt: completedAt,
    });
  }

  private async save(patch: Partial<DeltaState>): Promise<void> {
    if (this.dryRun) return;
    const { tenantId, resource, optionsHash } = this.key;
    this.state = await this.store.save({ ...this.state, ...patch, tenantId, resource, optionsHash });
  }
}
