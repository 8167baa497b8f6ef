import { emptyFeatureRunResult } from '../../engine/FeatureRunResult';
import { type UserLink } from '../../engine/LinkStore';
import { type QuarantinedNumber } from '../../engine/NumberQuarantineStore';
import { ensureError } from '../../core/errors/ensureError';
import { RunTally } from '../../engine/RunTally';
import { runWithConcurrency } from '../../engine/runWithConcurrency';
import { type WriteTurn } from '../../engine/runPagePipeline';
import { type GraphUser, type RemovedUser } from '../../graph/GraphUser';
import { type PbxUser } from '../../pbx/ports/PbxClient';
import { type ApplyOutcome } from './ApplyOutcome';
import { PbxDirectory } from './PbxDirectory';
import { type UserAction } from './UserPlan';
import { type UserSyncDeps, type UserSyncRequest } from './UserSyncDeps';
import { type UserSyncResult } from './UserSyncResult';
import { ScopeMembership } from './ScopeMembership';
import { applyUserPlan } from './applyUserPlan';
import { needsDirectory, planUserChanges } from './planUserChanges';
import { plannedOutcome } from './plannedOutcome';
import { appliedRunChanges, quietRunChanges } from './userRunChanges';

/** Beyond this many unread links in one batch, listing them all is cheaper than point reads. */
const POINT_READ_LIMIT = 100;
const POINT_READ_CONCURRENCY = 16;

/**
 * What one users run knows across its pages: the links and the PBX directory (each read once, only when
 * a batch needs them, then kept in step with the run's own writes), the users read so far, and the result.
 * The round's pages, the sweep and the reconcile after the round all plan and apply through it, so they
 * see each other's writes without reading them back.
 */
export class UserSyncRun {
  readonly result: UserSyncResult;
  /** Users this run has dealt with (read, or removed as group leavers): the full-round sweep spares them. */
  readonly seen = new Set<string>();
  /** Distinct users read from Graph (the run's itemsRead). */
  private readonly read = new Set<string>();
  private readonly tally: RunTally;
  /** The links this run has read (or written): all of the tenant's once `linksComplete`. */
  private readonly linkCache = new Map<string, UserLink>();
  private linksComplete = false;
  /** Users whose link was looked up by a point read (found or not), so they are not read again. */
  private readonly linksLookedUp = new Set<string>();
  private directory: PbxDirectory | undefined;

  private constructor(
    readonly deps: UserSyncDeps,
    readonly request: UserSyncRequest,
    /** GROUPS scope: who is a member of the synced groups (lower-case ids), as far as this run knows. */
    readonly scope: ScopeMembership | undefined,
    /** Users whose last write failed for good; a success clears them. */
    readonly pendingIds: Set<string>,
    readonly now: () => Date,
  ) {
    this.result = emptyFeatureRunResult(request.mode);
    if (request.dryRun) this.result.plannedActions = [];
    this.tally = new RunTally(this.result);
  }

  /** Reads what every run needs up front: the GROUPS scope's membership changes and the pending users. */
  static async open(deps: UserSyncDeps, request: UserSyncRequest, optionsHash: string): Promise<UserSyncRun> {
    const scope = await ScopeMembership.open(deps, request, optionsHash);
    const pendingIds = new Set((await deps.pendingUsers.list(deps.tenantId)).map((p) => p.objectId));
    return new UserSyncRun(deps, request, scope, pendingIds, deps.now ?? (() => new Date()));
  }

  /** Every link of the tenant, listed once (the sweep, GROUPS scope and a create's PBX directory need them all). */
  async links(): Promise<Map<string, UserLink>> {
    if (!this.linksComplete) {
      // What this run already holds is at least as new as the table (this run is the tenant's only writer).
      for (const link of await this.deps.links.listByTenant(this.deps.tenantId)) {
        if (!this.linkCache.has(link.objectId) && !this.linksLookedUp.has(link.objectId)) this.linkCache.set(link.objectId, link);
      }
      this.linksComplete = true;
    }
    return this.linkCache;
  }

  /**
   * The links of these users. A small batch (a notification's delta round: a handful of users) is read by
   * point reads, so a quiet tenant's change does not cost listing every link of a large tenant; a large one
   * lists them all once. The map answers for these users either way (absent = no link).
   */
  async linksOf(objectIds: Iterable<string>): Promise<Map<string, UserLink>> {
    if (this.linksComplete) return this.linkCache;
    const missing = [...new Set(objectIds)].filter((id) => !this.linkCache.has(id) && !this.linksLookedUp.has(id));
    if (missing.length > POINT_READ_LIMIT) return this.links();
    await runWithConcurrency(missing, POINT_READ_CONCURRENCY, async (id) => {
      const link = await this.deps.links.get(this.deps.tenantId, id);
      this.linksLookedUp.add(id);
      if (link && !this.linkCache.has(id)) this.linkCache.set(id, link);
    });
    return this.linkCache;
  }

  /** Every PBX user and number, read only for the first batch that needs them (a quiet delta run never does). */
  private async pbxDirectory(): Promise<PbxDirectory> {
    if (!this.directory) {
      const { pbx, pbxProfile } = this.deps;
      const links = await this.links();
      const linkedIds = new Set([...links.values()].map((l) => l.pbxUserId).filter((id): id is string => !!id));
      const users: PbxUser[] = [];
      for await (const page of pbx.listUsers()) users.push(...page);
      const quarantined = await this.activeQuarantine();
      this.directory = new PbxDirectory(pbxProfile, users, await pbx.listNonUserNumbers(), linkedIds, quarantined);
    }
    return this.directory;
  }

  /**
   * The numbers deletes freed that are still kept from reuse, read once per run with the PBX directory.
   * `quarantineDays: 0` turns quarantine off: rows stored before are not honoured either. Expired rows are
   * purged here, lazily and best-effort (not by a dry run, which writes nothing).
   */
  private async activeQuarantine(): Promise<QuarantinedNumber[]> {
    const { numberQuarantine, tenantId, options, log } = this.deps;
    if (!numberQuarantine) return [];
    const now = this.now();
    if (!this.request.dryRun) {
      await numberQuarantine.purgeExpired(tenantId, now).catch((err: unknown) => {
        log?.warn('could not purge expired quarantined numbers; the next run tries again', { error: ensureError(err).message });
      });
    }
    return options.numbering.quarantineDays > 0 ? numberQuarantine.activeNumbers(tenantId, now) : [];
  }

  /** Plans one batch of Graph changes and counts what needs no write; returns the writes it needs. */
  async plan(users: GraphUser[], removed: RemovedUser[]): Promise<UserAction[]> {
    if (users.length === 0 && removed.length === 0) return [];
    const { options, pbxProfile: profile, changes } = this.deps;
    await this.scope?.check(users.map((u) => u.id));
    const groupMemberIds = this.scope?.members;
    const links = await this.linksOf([...users.map((u) => u.id), ...removed.map((r) => r.id)]);
    const directory = needsDirectory({ users, links, options, profile, groupMemberIds }) ? await this.pbxDirectory() : this.directory;
    const planned = planUserChanges({ users, removed, links, options, profile, groupMemberIds, directory });
    for (const id of planned.seen) {
      this.seen.add(id);
      this.read.add(id);
    }
    this.tally.addOutOfScope(planned.outOfScope);
    this.tally.merge({ counts: { unchanged: planned.unchanged }, issues: planned.notices });
    if (!this.request.dryRun) changes?.add(quietRunChanges(planned.quiet));
    return planned.actions;
  }

  /**
   * Applies actions; a dry run only counts them, so its counts read like the run's would. `turn` chains a
   * page's PBX writes after the previous page's.
   */
  async apply(actions: UserAction[], turn?: WriteTurn): Promise<ApplyOutcome> {
    if (this.request.dryRun || actions.length === 0) {
      turn?.started(); // nothing to write: the next page need not wait
      this.result.plannedActions?.push(...actions);
      return plannedOutcome(actions);
    }
    const { deps } = this;
    const { numbering } = deps.options;
    // Every action is about a user whose link was read when it was planned (linksOf, links).
    const linkCache = this.linkCache;
    return applyUserPlan(actions, {
      tenantId: deps.tenantId,
      pbx: deps.pbx,
      links: deps.links,
      pendingUsers: deps.pendingUsers,
      linkCache,
      concurrency: deps.concurrency,
      pendingIds: this.pendingIds,
      quarantine: deps.numberQuarantine ? { store: deps.numberQuarantine, days: numbering.quarantineDays } : undefined,
      nextFreeNumber: numbering.mode === 'fromStart' && this.directory ? () => this.directory!.allocateFrom(numbering.start) : undefined,
      now: this.now,
      ...(turn ? { pbxTurn: turn.ready, onPbxWritesStarted: turn.started } : {}),
    });
  }

  /**
   * Adds an applied batch to the result and its change list, written before the checkpoint that covers it.
   * Throws the batch's retryable failure, so that checkpoint is not saved.
   */
  async settle(actions: readonly UserAction[], outcome: ApplyOutcome): Promise<void> {
    this.tally.merge(outcome);
    const { changes } = this.deps;
    if (!changes || this.request.dryRun) return;
    changes.add(appliedRunChanges(actions, outcome));
    await changes.flush();
  }

  /** Plans nothing: applies and settles actions decided outside a page (sweep, group leavers). */
  async execute(actions: UserAction[]): Promise<void> {
    await this.settle(actions, await this.apply(actions));
  }

  async planAndApply(users: GraphUser[], removed: RemovedUser[]): Promise<void> {
    await this.execute(await this.plan(users, removed));
  }

  /** The result, with what only the end of the run knows. */
  finish(requestsBefore: { graph: number; pbx: number }): UserSyncResult {
    this.result.itemsRead = this.read.size;
    this.result.graphRequests = this.deps.directoryReader.requestCount() - requestsBefore.graph;
    this.result.pbxRequests = this.deps.pbx.requestCount() - requestsBefore.pbx;
    return this.result;
  }
}
