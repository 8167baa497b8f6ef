import { AppError, isAppError } from '../../core/errors/AppError';
import { ensureError } from '../../core/errors/ensureError';
import { isRetryable } from '../../core/errors/isRetryable';
import { type PbxClient, type PbxNewUser, type PbxUserFields } from '../../pbx/ports/PbxClient';
import { type LinkStore, type LinkWrite, type UserLink } from '../../engine/LinkStore';
import { type PendingUserStore } from '../../engine/PendingUserStore';
import { type RunCounts } from '../../engine/RunStore';
import { type ApplyOutcome, LINK_CONFLICT, addCount } from './ApplyOutcome';
import { type AdoptAction, type CreateAction, type UserAction } from './UserPlan';
import { fieldsHash } from './fieldsHash';
import { runWithConcurrency } from '../../engine/runWithConcurrency';

export interface ApplyDeps {
  tenantId: string;
  pbx: PbxClient;
  links: LinkStore;
  pendingUsers: PendingUserStore;
  /** The run's in-memory view of the links (with their etags); kept in step with every write. */
  linkCache: Map<string, UserLink>;
  concurrency: number;
  /** Users in the pending (retry) set at the start of the run; a success clears their entry. */
  pendingIds: Set<string>;
  /** Another free number for fromStart numbering when the PBX says ours is taken. */
  nextFreeNumber?: (() => string) | undefined;
  now?: (() => Date) | undefined;
  /**
   * Pipelined pages (runUserSync): this plan's PBX writes wait for `pbxTurn` (the previous page's have all
   * started), and `onPbxWritesStarted` is called once this plan's have all started, or never will.
   */
  pbxTurn?: Promise<void> | undefined;
  onPbxWritesStarted?: (() => void) | undefined;
}

const MAX_RENUMBER_ATTEMPTS = 5;

/** One action on its way through the phases. */
interface Step {
  action: Exclude<UserAction, { kind: 'skip' }>;
  /** The link write that completes the action once its PBX writes are done. */
  final?: LinkWrite;
  /** What the action counts as once it is complete. */
  count?: keyof RunCounts;
  failure?: unknown;
}

/**
 * Executes a plan (one page of changes) in phases, so the links cost a few table transactions per page
 * instead of two round trips per user:
 * 1. the `creating` links of new users are written (create-if-absent) before any PBX create: a replay after
 *    a crash finds the extension by its reserved number instead of creating a second one, and a second
 *    writer racing on the same user is refused here, before it touches the PBX;
 * 2. the PBX writes, with bounded concurrency;
 * 3. the final links, conditional on the version read or written before (ETag);
 * 4. each item is counted, or its failure recorded.
 * A link write refused because another writer touched the user is not retried: the item fails with
 * `linkConflict`, its link is re-read, and the next run converges. Any other final error for one user is
 * recorded (the user is re-read next run); a retryable error is returned so the caller keeps its checkpoint.
 */
export async function applyUserPlan(actions: readonly UserAction[], deps: ApplyDeps): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = { counts: {}, issues: [] };
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  const steps: Step[] = [];
  for (const action of actions) {
    if (action.kind !== 'skip') {
      steps.push({ action });
      continue;
    }
    addCount(outcome, 'skipped');
    const { objectId, userPrincipalName, code, message } = action;
    outcome.issues.push({ objectId, userPrincipalName, action: 'skip', code, message });
  }

  const linkOf = (objectId: string): UserLink => {
    const link = deps.linkCache.get(objectId);
    if (!link) throw new AppError('INTERNAL', `no link in the run's cache for ${objectId}`);
    return link;
  };
  const creatingLink = (objectId: string, user: PbxNewUser, etag?: string): UserLink => ({
    tenantId: deps.tenantId,
    objectId,
    state: 'creating',
    origin: 'created',
    pbxUserName: user.userName,
    extensionNumber: user.extensionNumber,
    boundToMicrosoft365: false,
    updatedAt: now(),
    etag,
  });
  /** Phases 1 and 3: one batch of link writes; each step gets its link cached, or its failure. */
  const writeLinks = async (writing: Step[], writeOf: (step: Step) => LinkWrite): Promise<void> => {
    if (writing.length === 0) return;
    try {
      const results = await deps.links.writeMany(deps.tenantId, writing.map(writeOf));
      writing.forEach((step, k) => {
        const result = results[k]!;
        if (result.ok) deps.linkCache.set(step.action.objectId, result.link);
        else step.failure = asLinkConflict(result.error);
      });
    } catch (err) {
      for (const step of writing) step.failure = err;
    }
  };
  const dropLink = async (objectId: string): Promise<void> => {
    await linkWrite(() => deps.links.delete(deps.tenantId, objectId, deps.linkCache.get(objectId)?.etag));
    deps.linkCache.delete(objectId);
  };

  const createOrResume = async (step: Step, action: CreateAction): Promise<void> => {
    let user = action.user;
    for (let attempt = 0; ; attempt += 1) {
      if (attempt > 0) {
        // Another number: move the reservation to it before the PBX may create under it.
        const moved = await linkWrite(() => deps.links.update(creatingLink(action.objectId, user, linkOf(action.objectId).etag)));
        deps.linkCache.set(action.objectId, moved);
      }
      let pbxUserId: string | undefined;
      let recovered = false;
      const owner = action.resume || attempt > 0 ? await deps.pbx.findNumberOwner(user.extensionNumber) : null;
      if (owner && owner.type === 'EXTENSION' && owner.name.toLowerCase() === user.userName.toLowerCase()) {
        pbxUserId = owner.id; // our earlier create went through; its link write did not
        recovered = true;
      } else if (!owner) {
        try {
          pbxUserId = (await deps.pbx.createUser(user)).id;
        } catch (err) {
          if (!isAppError(err, 'CONFLICT')) throw err;
          const holder = await deps.pbx.findNumberOwner(user.extensionNumber);
          if (holder && holder.type === 'EXTENSION' && holder.name.toLowerCase() === user.userName.toLowerCase()) {
            pbxUserId = holder.id; // a retried create whose first response was lost
            recovered = true;
          }
        }
      }
      if (pbxUserId) {
        if (recovered) await deps.pbx.updateUser(pbxUserId, fieldsOf(user));
        await deps.pbx.bindMicrosoft365(pbxUserId, action.objectId);
        const reserved = linkOf(action.objectId);
        step.final = {
          kind: 'update',
          link: { ...reserved, state: 'active', pbxUserId, ...syncedFields(fieldsOf(user)), boundToMicrosoft365: true, updatedAt: now() },
        };
        step.count = recovered ? 'updated' : 'created';
        return;
      }
      // The number belongs to someone else.
      if (!action.renumberable || !deps.nextFreeNumber || attempt >= MAX_RENUMBER_ATTEMPTS) {
        await dropLink(action.objectId);
        throw new AppError('CONFLICT', `extension ${user.extensionNumber} is already in use on the PBX; not overwritten`, {
          upstreamCode: 'extensionCollision',
        });
      }
      user = { ...user, extensionNumber: deps.nextFreeNumber() };
    }
  };

  const adopt = async (step: Step, action: AdoptAction): Promise<void> => {
    if (Object.keys(action.changes).length > 0) await deps.pbx.updateUser(action.pbxUserId, action.changes);
    await deps.pbx.bindMicrosoft365(action.pbxUserId, action.objectId);
    step.final = {
      kind: 'create',
      link: {
        tenantId: deps.tenantId,
        objectId: action.objectId,
        state: 'active',
        origin: 'adopted',
        pbxUserId: action.pbxUserId,
        pbxUserName: action.pbxUserName,
        extensionNumber: action.extensionNumber,
        ...syncedFields(action.fields),
        boundToMicrosoft365: true,
        updatedAt: now(),
      },
    };
    step.count = 'adopted';
  };

  /** Phase 2 for one action: its PBX writes; the final link write is left in `step.final`. */
  const pbxWrites = async (step: Step): Promise<void> => {
    const { action } = step;
    switch (action.kind) {
      case 'create':
        return createOrResume(step, action);
      case 'adopt':
        return adopt(step, action);
      case 'update':
      case 'disable': {
        const link = linkOf(action.objectId);
        try {
          await deps.pbx.updateUser(action.pbxUserId, action.changes);
        } catch (err) {
          if (!isAppError(err, 'NOT_FOUND')) throw err;
          // Someone removed our extension on the PBX: forget the link so the user is recreated.
          await dropLink(action.objectId);
          throw new AppError('NOT_FOUND', 'the linked PBX extension no longer exists; it will be recreated on the next run', {
            upstreamCode: 'pbxUserMissing',
          });
        }
        step.final = { kind: 'update', link: { ...link, ...syncedFields(action.fields), updatedAt: now() } };
        step.count = action.kind === 'update' ? 'updated' : 'disabled';
        return;
      }
      case 'delete':
        await deps.pbx.deleteUser(action.pbxUserId);
        await dropLink(action.objectId);
        step.count = 'deleted';
        return;
      case 'unlink':
        await dropLink(action.objectId);
        step.count = 'unlinked';
        return;
    }
  };

  /** Phase 4 for one action: its count, or its failure recorded; the pending entry follows the outcome. */
  const settle = async (step: Step): Promise<void> => {
    const { action } = step;
    try {
      if (step.failure === undefined) {
        if (deps.pendingIds.delete(action.objectId)) await deps.pendingUsers.remove(deps.tenantId, action.objectId);
        addCount(outcome, step.count!);
        return;
      }
    } catch (caught) {
      step.failure = caught;
    }
    const err = ensureError(step.failure);
    if (isRetryable(step.failure)) {
      outcome.retryableError ??= err;
      return;
    }
    if (isLinkConflict(step.failure)) await reread(action.objectId);
    const code = (isAppError(step.failure) && (step.failure.upstreamCode ?? step.failure.code)) || 'ERROR';
    addCount(outcome, 'failed');
    outcome.issues.push({
      objectId: action.objectId,
      userPrincipalName: action.userPrincipalName,
      action: action.kind,
      code,
      message: err.message,
    });
    try {
      await deps.pendingUsers.record(deps.tenantId, action.objectId, code, err.message);
      deps.pendingIds.add(action.objectId);
    } catch (recordError) {
      // Without the pending entry this change could be lost once the checkpoint moves: keep the checkpoint.
      outcome.retryableError ??= ensureError(recordError);
    }
  };
  /** After a conflict the cached link is stale: take the stored one (if none, any later write is a create-if-absent). */
  const reread = async (objectId: string): Promise<void> => {
    const current = await deps.links.get(deps.tenantId, objectId).catch(() => null);
    if (current) deps.linkCache.set(objectId, current);
    else deps.linkCache.delete(objectId);
  };

  const fresh = steps.filter((step) => step.action.kind === 'create' && !step.action.resume);
  let turnPassed = false;
  const passTurn = () => {
    if (!turnPassed) deps.onPbxWritesStarted?.();
    turnPassed = true;
  };
  try {
    await writeLinks(fresh, ({ action }) => ({ kind: 'create', link: creatingLink(action.objectId, (action as CreateAction).user) }));
    await deps.pbxTurn;
    await runWithConcurrency(
      steps.filter((step) => step.failure === undefined),
      deps.concurrency,
      async (step) => {
        try {
          await pbxWrites(step);
        } catch (err) {
          step.failure = err;
        }
      },
      passTurn,
    );
  } finally {
    passTurn(); // whatever happened, the next page must not wait forever
  }
  await writeLinks(
    steps.filter((step) => step.failure === undefined && step.final),
    (step) => step.final!,
  );
  await runWithConcurrency(steps, deps.concurrency, settle);
  return outcome;
}

/** A link write refused because another writer touched the user becomes this run's `linkConflict` failure. */
async function linkWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw asLinkConflict(err);
  }
}

function asLinkConflict(err: unknown): unknown {
  if (!isAppError(err, 'CONFLICT') && !isAppError(err, 'PRECONDITION_FAILED')) return err;
  return new AppError('CONFLICT', "another writer changed this user's link meanwhile; it is re-read and synced on the next run", {
    cause: err,
    upstreamCode: LINK_CONFLICT,
  });
}

function isLinkConflict(err: unknown): boolean {
  return isAppError(err, 'CONFLICT') && err.upstreamCode === LINK_CONFLICT;
}

function syncedFields(fields: PbxUserFields): Pick<UserLink, 'fields' | 'hash'> {
  return { fields, hash: fieldsHash(fields) };
}

function fieldsOf(user: PbxNewUser): PbxUserFields {
  const { displayName, email, mobilePhone, workPhone, department, enabled } = user;
  return { displayName, email, mobilePhone, workPhone, department, enabled };
}
