import { AppError, isAppError } from '../../core/errors/AppError';
import { ensureError } from '../../core/errors/ensureError';
import { isRetryable } from '../../core/errors/isRetryable';
import { type PbxClient } from '../../pbx/ports/PbxClient';
import { type LinkStore, type UserLink } from '../../engine/LinkStore';
import { type PendingUserStore } from '../../engine/PendingUserStore';
import { type ApplyOutcome, addCount } from './ApplyOutcome';
import { type AdoptAction, type CreateAction, type UserAction } from './UserPlan';
import { fieldsHash } from './fieldsHash';
import { runWithConcurrency } from '../../engine/runWithConcurrency';

export interface ApplyDeps {
  tenantId: string;
  pbx: PbxClient;
  links: LinkStore;
  pendingUsers: PendingUserStore;
  /** The run's in-memory view of the links; kept in step with every write. */
  linkCache: Map<string, UserLink>;
  concurrency: number;
  /** Users in the pending (retry) set at the start of the run; a success clears their entry. */
  pendingIds: Set<string>;
  /** Another free number for fromStart numbering when the PBX says ours is taken. */
  nextFreeNumber?: (() => string) | undefined;
  now?: (() => Date) | undefined;
}

const MAX_RENUMBER_ATTEMPTS = 5;

/**
 * Executes a plan with bounded concurrency. Every write is idempotent: a create is preceded by a
 * `creating` link (write-ahead), so replaying after a crash finds the extension by its reserved number
 * instead of creating a second one. A final error for one user is recorded (and the user re-read next run);
 * a retryable error is returned so the caller keeps its checkpoint.
 */
export async function applyUserPlan(actions: readonly UserAction[], deps: ApplyDeps): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = { counts: {}, issues: [] };
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  const saveLink = async (link: Omit<UserLink, 'tenantId' | 'updatedAt'>): Promise<void> => {
    const full: UserLink = { ...link, tenantId: deps.tenantId, updatedAt: now() };
    await deps.links.upsert(full);
    deps.linkCache.set(full.objectId, full);
  };
  const dropLink = async (objectId: string): Promise<void> => {
    await deps.links.delete(deps.tenantId, objectId);
    deps.linkCache.delete(objectId);
  };

  const createOrResume = async (action: CreateAction): Promise<'created' | 'recovered'> => {
    let user = action.user;
    for (let attempt = 0; ; attempt += 1) {
      if (!action.resume || attempt > 0) {
        await saveLink({
          objectId: action.objectId,
          state: 'creating',
          origin: 'created',
          pbxUserName: user.userName,
          extensionNumber: user.extensionNumber,
          boundToMicrosoft365: false,
        });
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
          const now = await deps.pbx.findNumberOwner(user.extensionNumber);
          if (now && now.type === 'EXTENSION' && now.name.toLowerCase() === user.userName.toLowerCase()) {
            pbxUserId = now.id; // a retried create whose first response was lost
            recovered = true;
          }
        }
      }
      if (pbxUserId) {
        if (recovered) await deps.pbx.updateUser(pbxUserId, fieldsOf(user));
        await deps.pbx.bindMicrosoft365(pbxUserId, action.objectId);
        await saveLink({
          objectId: action.objectId,
          state: 'active',
          origin: 'created',
          pbxUserId,
          pbxUserName: user.userName,
          extensionNumber: user.extensionNumber,
          fields: fieldsOf(user),
          hash: fieldsHash(fieldsOf(user)),
          boundToMicrosoft365: true,
        });
        return recovered ? 'recovered' : 'created';
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

  const adopt = async (action: AdoptAction): Promise<void> => {
    if (Object.keys(action.changes).length > 0) await deps.pbx.updateUser(action.pbxUserId, action.changes);
    await deps.pbx.bindMicrosoft365(action.pbxUserId, action.objectId);
    await saveLink({
      objectId: action.objectId,
      state: 'active',
      origin: 'adopted',
      pbxUserId: action.pbxUserId,
      pbxUserName: action.pbxUserName,
      extensionNumber: action.extensionNumber,
      fields: action.fields,
      hash: fieldsHash(action.fields),
      boundToMicrosoft365: true,
    });
  };

  const execute = async (action: UserAction): Promise<void> => {
    const link = deps.linkCache.get(action.objectId);
    switch (action.kind) {
      case 'skip':
        addCount(outcome, 'skipped');
        outcome.issues.push({
          objectId: action.objectId,
          userPrincipalName: action.userPrincipalName,
          action: 'skip',
          code: action.code,
          message: action.message,
        });
        return;
      case 'create':
        addCount(outcome, (await createOrResume(action)) === 'created' ? 'created' : 'updated');
        return;
      case 'adopt':
        await adopt(action);
        addCount(outcome, 'adopted');
        return;
      case 'update':
      case 'disable':
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
        await saveLink({ ...link!, fields: action.fields, hash: fieldsHash(action.fields) });
        addCount(outcome, action.kind === 'update' ? 'updated' : 'disabled');
        return;
      case 'delete':
        await deps.pbx.deleteUser(action.pbxUserId);
        await dropLink(action.objectId);
        addCount(outcome, 'deleted');
        return;
      case 'unlink':
        await dropLink(action.objectId);
        addCount(outcome, 'unlinked');
        return;
    }
  };

  await runWithConcurrency(actions, deps.concurrency, async (action) => {
    try {
      await execute(action);
      if (action.kind !== 'skip' && deps.pendingIds.delete(action.objectId)) {
        await deps.pendingUsers.remove(deps.tenantId, action.objectId);
      }
    } catch (caught) {
      const err = ensureError(caught);
      if (isRetryable(caught)) {
        outcome.retryableError ??= err;
        return;
      }
      const code = (isAppError(caught) && (caught.upstreamCode ?? caught.code)) || 'ERROR';
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
    }
  });
  return outcome;
}

function fieldsOf(user: CreateAction['user']) {
  const { displayName, email, mobilePhone, workPhone, department, enabled } = user;
  return { displayName, email, mobilePhone, workPhone, department, enabled };
}
