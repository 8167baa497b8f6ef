import { AppError, isAppError } from '../../core/errors/AppError';
import { type PbxNewUser, type PbxNumberOwner } from '../../pbx/ports/PbxClient';
import { type CreateAction } from './UserPlan';
import { type ApplyDeps, type StepResult, creatingLink, dropLink, fieldsOf, linkOf, syncedFields, timestamp } from './applyContext';
import { linkWrite } from './linkConflict';

const MAX_RENUMBER_ATTEMPTS = 5;

/** The PBX user a create ended with, and whether it was found already there (an earlier create went through). */
interface Created {
  pbxUserId: string;
  recovered: boolean;
}

/**
 * The PBX writes of a create, after its `creating` link reserved the number (phase 1 of applyUserPlan).
 * A create may have happened before without its link write (crash, lost response): the extension holding
 * our number under our name is taken over, never created twice. A number held by anyone else is never
 * overwritten; fromStart numbering moves to another free number, anything else fails the item.
 */
export async function applyCreate(deps: ApplyDeps, action: CreateAction): Promise<StepResult> {
  let user = action.user;
  for (let attempt = 0; ; attempt += 1) {
    if (attempt > 0) await moveReservation(deps, action.objectId, user);
    const created = await createOrRecover(deps, user, action.resume || attempt > 0);
    if (created) return bind(deps, action, user, created);
    // The number belongs to someone else.
    if (!action.renumberable || !deps.nextFreeNumber || attempt >= MAX_RENUMBER_ATTEMPTS) {
      await dropLink(deps, action.objectId);
      throw new AppError('CONFLICT', `extension ${user.extensionNumber} is already in use on the PBX; not overwritten`, {
        upstreamCode: 'extensionCollision',
      });
    }
    user = { ...user, extensionNumber: deps.nextFreeNumber() };
  }
}

/** Another number: the reservation moves to it before the PBX may create under it. */
async function moveReservation(deps: ApplyDeps, objectId: string, user: PbxNewUser): Promise<void> {
  const moved = await linkWrite(() => deps.links.update(creatingLink(deps, objectId, user, linkOf(deps, objectId).etag)));
  deps.linkCache.set(objectId, moved);
}

/**
 * Creates the user, or finds our own earlier create. `lookFirst` (a resumed create, a new number) asks the
 * PBX who holds the number before creating; a fresh create learns it only from a refused create.
 * Undefined: the number belongs to someone else.
 */
async function createOrRecover(deps: ApplyDeps, user: PbxNewUser, lookFirst: boolean): Promise<Created | undefined> {
  const owner = lookFirst ? await deps.pbx.findNumberOwner(user.extensionNumber) : null;
  if (isOurs(owner, user)) return { pbxUserId: owner.id, recovered: true }; // our earlier create went through; its link write did not
  if (owner) return undefined;
  try {
    return { pbxUserId: (await deps.pbx.createUser(user)).id, recovered: false };
  } catch (err) {
    if (!isAppError(err, 'CONFLICT')) throw err;
    const holder = await deps.pbx.findNumberOwner(user.extensionNumber);
    if (isOurs(holder, user)) return { pbxUserId: holder.id, recovered: true }; // a retried create whose first response was lost
    return undefined;
  }
}

function isOurs(owner: PbxNumberOwner | null, user: PbxNewUser): owner is PbxNumberOwner {
  return !!owner && owner.type === 'EXTENSION' && owner.name.toLowerCase() === user.userName.toLowerCase();
}

/** A recovered user gets our fields written (the earlier create may have carried older ones). */
async function bind(deps: ApplyDeps, action: CreateAction, user: PbxNewUser, { pbxUserId, recovered }: Created): Promise<StepResult> {
  if (recovered) await deps.pbx.updateUser(pbxUserId, fieldsOf(user));
  await deps.pbx.bindMicrosoft365(pbxUserId, action.objectId);
  const reserved = linkOf(deps, action.objectId);
  return {
    final: {
      kind: 'update',
      link: {
        ...reserved,
        state: 'active',
        pbxUserId,
        ...syncedFields(fieldsOf(user)),
        boundToMicrosoft365: true,
        updatedAt: timestamp(deps),
      },
    },
    count: recovered ? 'updated' : 'created',
  };
}
