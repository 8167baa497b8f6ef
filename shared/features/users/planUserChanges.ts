import { type GraphUser, type RemovedUser } from '../../graph/GraphUser';
import { type RemovalPolicy, type UserSyncOptions } from './usersOptions';
import { type PbxUserFields } from '../../pbx/ports/PbxClient';
import { type PbxProfile } from '../../pbx/ports/PbxProfile';
import { AppError } from '../../core/errors/AppError';
import { type UserLink } from '../../engine/LinkStore';
import { type PbxDirectory } from './PbxDirectory';
import { type UserAction, type UserPlan } from './UserPlan';
import { changedFields, fieldsHash } from './fieldsHash';
import { desiredPbxFields } from './desiredPbxFields';
import { plannedCallerId } from './plannedCallerId';
import { PROPERTY_NUMBER_DIGITS, extensionFromProperty } from './extensionFromProperty';
import { isInScope } from './isInScope';
import { scopeExclusionFor } from './scopeExclusionFor';
import { skipReasonFor } from './skipReasonFor';
import { usableEmail } from './usableEmail';

export interface PlanInput {
  users: GraphUser[];
  removed: RemovedUser[];
  links: ReadonlyMap<string, UserLink>;
  options: UserSyncOptions;
  /** The PBX product's rules: field limits, the e-mail and name rules, account names. */
  profile: PbxProfile;
  /** Required for GROUPS scope. */
  groupMemberIds?: ReadonlySet<string> | undefined;
  /** Required when a user may be created or adopted (see needsDirectory). */
  directory?: PbxDirectory | undefined;
}

/** True when planning these users may create or adopt, so the PBX directory must be loaded first. */
export function needsDirectory(input: Omit<PlanInput, 'removed' | 'directory'>): boolean {
  return input.users.some(
    (u) =>
      input.links.get(u.id)?.state !== 'active' &&
      u.accountEnabled !== false &&
      !skipReasonFor(u, input.profile) &&
      isInScope(u, input.options, input.groupMemberIds),
  );
}

/** The action a removal policy asks for on a linked user. `fields` are what the PBX should hold if disabled. */
export function removalAction(link: UserLink, policy: RemovalPolicy, reason: string, fields?: PbxUserFields): UserAction | undefined {
  const base = { objectId: link.objectId };
  if (link.state === 'creating' || !link.pbxUserId) {
    // The create never confirmed: nothing of ours is known to exist. Forget the reservation.
    return { ...base, kind: 'unlink', reason: `${reason} (create had not completed)` };
  }
  if (policy === 'retain') return { ...base, kind: 'unlink', reason };
  if (policy === 'delete') return { ...base, kind: 'delete', pbxUserId: link.pbxUserId, reason };
  const target: PbxUserFields = { ...(fields ?? link.fields ?? emptyFields()), enabled: false };
  if (link.hash === fieldsHash(target)) return undefined;
  return { ...base, kind: 'disable', pbxUserId: link.pbxUserId, changes: changedFields(link.fields, target), fields: target, reason };
}

/** A linked user whose PBX record already is what it should be: counted, listed, no write. */
function noWrite(plan: UserPlan, objectId: string, upn: string | undefined, link: UserLink): void {
  plan.unchanged += 1;
  plan.quiet.push({ objectId, userPrincipalName: upn, link, outcome: 'unchanged' });
}

function emptyFields(): PbxUserFields {
  return { displayName: '', email: '', mobilePhone: '', workPhone: '', department: '', enabled: false };
}

function planLinked(user: GraphUser, link: UserLink, input: PlanInput, plan: UserPlan): void {
  const { options, profile } = input;
  const upn = user.userPrincipalName ?? undefined;
  const skip = skipReasonFor(user, profile);
  if (skip) {
    plan.actions.push({
      kind: 'skip',
      objectId: user.id,
      userPrincipalName: upn,
      ...skip,
      message: `${skip.message}; linked extension left unchanged`,
    });
    return;
  }
  const desired = desiredPbxFields(user, profile, true, plannedCallerId(user, options, plan));
  if (link.hash === fieldsHash(desired)) {
    noWrite(plan, user.id, upn, link);
  } else {
    plan.actions.push({
      kind: 'update',
      objectId: user.id,
      userPrincipalName: upn,
      pbxUserId: link.pbxUserId!,
      changes: changedFields(link.fields, desired),
      fields: desired,
    });
  }
  if (options.numbering.mode === 'fromProperty') {
    const wanted = extensionFromProperty(user, options.numbering.property, options.numbering.lastDigits, profile.extensionNumbers);
    if (wanted && wanted !== link.extensionNumber) {
      // A notice, not a skip: the user is still synced (and counted) under the number it has.
      plan.notices.push({
        objectId: user.id,
        userPrincipalName: upn,
        action: 'notice',
        code: 'extensionNumberChanged',
        message:
          `${options.numbering.property} now gives ${wanted}, but ${profile.productName} cannot change ` +
          `extension ${link.extensionNumber}; delete the extension to have it recreated`,
      });
    }
  }
}

function planUnlinked(user: GraphUser, existing: UserLink | undefined, input: PlanInput, plan: UserPlan): void {
  const { options, directory, profile } = input;
  const upn = user.userPrincipalName ?? undefined;
  const skip = skipReasonFor(user, profile);
  if (skip) {
    plan.actions.push({ kind: 'skip', objectId: user.id, userPrincipalName: upn, ...skip });
    return;
  }
  if (!directory) throw new AppError('INTERNAL', 'planning a create needs the PBX directory (see needsDirectory)');
  const fields = desiredPbxFields(user, profile, true, plannedCallerId(user, options, plan));
  const email = usableEmail(user, profile.email) ?? '';

  if (existing?.state === 'creating') {
    plan.actions.push({
      kind: 'create',
      objectId: user.id,
      userPrincipalName: upn,
      user: { ...fields, userName: existing.pbxUserName, extensionNumber: existing.extensionNumber },
      resume: true,
      renumberable: options.numbering.mode === 'fromStart',
    });
    return;
  }

  if (options.adoptByEmail) {
    const claim = directory.claimByEmail(email);
    if (claim?.kind === 'ambiguous') {
      // Adopting one by guesswork could take over the wrong person's extension; creating a third would double it.
      const numbers = claim.extensionNumbers;
      plan.actions.push({
        kind: 'skip',
        objectId: user.id,
        userPrincipalName: upn,
        code: 'ambiguousAdoption',
        message:
          `${numbers.length} unlinked PBX extensions (${numbers.join(', ')}) share this user's email address; ` +
          'none adopted, none created (leave the address on one of them to have it adopted)',
      });
      return;
    }
    if (claim) {
      const match = claim.user;
      const current: PbxUserFields = { ...match };
      plan.actions.push({
        kind: 'adopt',
        objectId: user.id,
        userPrincipalName: upn,
        pbxUserId: match.id,
        pbxUserName: match.userName,
        extensionNumber: match.extensionNumber,
        changes: changedFields(current, fields),
        fields,
      });
      return;
    }
  }

  let extensionNumber: string;
  if (options.numbering.mode === 'fromStart') {
    extensionNumber = directory.allocateFrom(options.numbering.start);
  } else {
    const wanted = extensionFromProperty(user, options.numbering.property, options.numbering.lastDigits, profile.extensionNumbers);
    if (!wanted) {
      const { min, max } = PROPERTY_NUMBER_DIGITS;
      const zeros = profile.extensionNumbers.leadingZerosAllowed ? '' : ', no leading zero';
      plan.actions.push({
        kind: 'skip',
        objectId: user.id,
        userPrincipalName: upn,
        code: 'noExtensionNumber',
        message: `${options.numbering.property} holds no usable extension number (${min}-${max} digits${zeros})`,
      });
      return;
    }
    if (directory.isNumberUsed(wanted)) {
      plan.actions.push({
        kind: 'skip',
        objectId: user.id,
        userPrincipalName: upn,
        code: 'extensionCollision',
        message: `extension ${wanted} (from ${options.numbering.property}) is already in use on the PBX; not overwritten`,
      });
      return;
    }
    const hold = directory.quarantineOf(wanted, user.id);
    if (hold) {
      // Freed by another user's delete: not handed to someone else before its release date.
      plan.actions.push({
        kind: 'skip',
        objectId: user.id,
        userPrincipalName: upn,
        code: 'numberQuarantined',
        message:
          `extension ${wanted} (from ${options.numbering.property}) was freed by a delete and is quarantined until ` +
          `${hold.releaseAt}; not given to another user before then (an admin can release it early: ` +
          `DELETE /api/tenants/{id}/quarantine/${wanted})`,
      });
      return;
    }
    directory.claimNumber(wanted);
    extensionNumber = wanted;
  }
  plan.actions.push({
    kind: 'create',
    objectId: user.id,
    userPrincipalName: upn,
    user: { ...fields, userName: directory.claimUserName(email, extensionNumber), extensionNumber },
    resume: false,
    renumberable: options.numbering.mode === 'fromStart',
  });
}

/**
 * Pure planning: given one batch of Graph changes, the links and the options, decide what the PBX needs.
 * Unchanged users cost nothing; users without a link are only ever created or adopted, never modified.
 */
export function planUserChanges(input: PlanInput): UserPlan {
  const plan: UserPlan = { actions: [], unchanged: 0, outOfScope: {}, quiet: [], notices: [], seen: [] };
  const leftAlone = (objectId: string, upn: string | undefined, reason: string) => {
    plan.outOfScope[reason] = (plan.outOfScope[reason] ?? 0) + 1;
    plan.quiet.push({ objectId, userPrincipalName: upn, outcome: 'outOfScope', reason });
  };
  const { links, options } = input;
  // Graph may repeat an entity within a round; the last copy wins.
  const latest = new Map<string, GraphUser>();
  for (const user of input.users) latest.set(user.id, user);

  for (const user of latest.values()) {
    plan.seen.push(user.id);
    const link = links.get(user.id);
    const exclusion = scopeExclusionFor(user, options, input.groupMemberIds);
    const upn = user.userPrincipalName ?? undefined;
    if (exclusion) {
      if (!link) leftAlone(user.id, upn, exclusion);
      else {
        const action = removalAction(link, options.onOutOfScope, 'user left the sync scope');
        if (action) plan.actions.push(action);
        else noWrite(plan, user.id, upn, link);
      }
      continue;
    }
    if (user.accountEnabled === false) {
      if (!link) leftAlone(user.id, upn, 'accountDisabled');
      else {
        const action = removalAction(
          link,
          options.onDisabled,
          'user is disabled in Entra ID',
          desiredPbxFields(user, input.profile, false, plannedCallerId(user, options)),
        );
        if (action) plan.actions.push(action);
        else noWrite(plan, user.id, upn, link);
      }
      continue;
    }
    if (link?.state === 'active') planLinked(user, link, input, plan);
    else planUnlinked(user, link, input, plan);
  }

  for (const removed of input.removed) {
    if (latest.has(removed.id)) continue;
    plan.seen.push(removed.id);
    const link = links.get(removed.id);
    if (!link) {
      leftAlone(removed.id, undefined, 'deletedInEntra');
      continue;
    }
    // Delta says `deleted` for a permanent delete and `changed` for a soft one (the user is restorable).
    const hard = removed.reason === 'deleted';
    const reason = hard ? 'user was permanently deleted' : 'user was deleted (restorable)';
    const action = removalAction(link, hard ? options.onHardDeleted : options.onSoftDeleted, reason);
    if (action) plan.actions.push(action);
    else noWrite(plan, removed.id, undefined, link);
  }
  return plan;
}

/**
 * After a complete full round: linked users that Graph no longer returned are gone from /users. Only called
 * when every page of the round was read in this run, never on partial information. Missing from /users is
 * not a permanent delete: a user still in the directory's deleted items (`stillDeleted`, lower-case object
 * ids) can be restored, so `onSoftDeleted` applies; one that is not there was purged (or its delete was
 * never seen), so `onHardDeleted` applies.
 */
export function planSweep(
  links: ReadonlyMap<string, UserLink>,
  seen: ReadonlySet<string>,
  options: UserSyncOptions,
  stillDeleted: ReadonlySet<string>,
): UserAction[] {
  const actions: UserAction[] = [];
  for (const link of sweepCandidates(links, seen)) {
    const restorable = stillDeleted.has(link.objectId.toLowerCase());
    const action = restorable
      ? removalAction(link, options.onSoftDeleted, 'user is in the deleted items, restorable (full reconcile)')
      : removalAction(link, options.onHardDeleted, 'user no longer in Entra ID, not in the deleted items (full reconcile)');
    if (action) actions.push(action);
  }
  return actions;
}

/** Linked users a complete full round did not return: the ones planSweep decides on. */
export function sweepCandidates(links: ReadonlyMap<string, UserLink>, seen: ReadonlySet<string>): UserLink[] {
  return [...links.values()].filter((link) => !seen.has(link.objectId));
}
