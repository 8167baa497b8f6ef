import { ensureError } from '../../core/errors/ensureError';
import { isRetryable } from '../../core/errors/isRetryable';
import { type ContactSource } from '../../engine/ContactSourceStore';
import { countRunRequests, type FeatureRunResult, startFeatureRunResult } from '../../engine/FeatureRunResult';
import { type LinkedUser } from '../../engine/LinkedUsers';
import { MAX_RUN_ISSUES } from '../../engine/RunStore';
import { runWithConcurrency } from '../../engine/runWithConcurrency';
import { DEFAULT_CONTACT_FOLDER } from '../../graph/MailboxReader';
import { type PbxPersonalContacts } from '../../pbx/ports/PbxPersonalContacts';
import { usersInScope } from '../featureUserScope';
import { type FeatureContext } from '../Feature';
import { actAsUser, describeNoUserAccess } from '../../engine/actAsUser';
import { personalBook } from './ContactBook';
import { contactSourceKey } from './contactSourceKey';
import { requirePort } from '../../engine/requirePort';
import { ContactSourceSync, unreadableMailboxReason } from './ContactSourceSync';
import { type PersonalContactsOptions } from './personalContactsOptions';

const FEATURE = 'personalContacts';

/**
 * One personal-contacts run: for every synced user in scope, each chosen folder of their mailbox is copied
 * into their own PBX contacts (as them: see actAsUser), many mailboxes side by side. A user the connector
 * cannot act as, or whose mailbox it cannot read, is reported and skipped; their folders keep their delta
 * state, so nothing is lost when access returns. Folders of users who left the scope are emptied and forgotten.
 */
export async function runPersonalContactsSync(
  context: FeatureContext<PersonalContactsOptions>,
  request: { mode: 'full' | 'delta'; dryRun: boolean },
): Promise<FeatureRunResult> {
  const port = requirePort(context.pbxContacts.personal, 'personal contacts', context.pbxProfile.productName);
  const result = startFeatureRunResult(request);
  const counted = countRunRequests(context.mailboxReader, context.pbx);
  const sync = new ContactSourceSync(context, FEATURE, result, request.dryRun);
  const owners = await ownersInScope(context);
  const known = await sync.sources();
  const knownKeys = new Set(known.map((s) => s.sourceKey));
  const wanted = new Set<string>();
  let retryable: Error | undefined;

  await runWithConcurrency(owners, context.options.mailboxConcurrency, async (owner) => {
    try {
      await syncOwner(context, sync, port, owner, knownKeys, wanted, request.mode, result);
    } catch (caught) {
      const err = ensureError(caught);
      if (isRetryable(err)) retryable ??= err;
      else issue(result, owner.objectId, 'failed', err.message);
    }
  });
  if (retryable) throw retryable;

  const ownerIds = new Map(owners.map((o) => [o.objectId, o]));
  for (const source of known.filter((s) => !wanted.has(s.sourceKey))) {
    const owner = source.owner && ownerIds.get(source.owner.objectId);
    // A folder of someone still synced (it left the ALL folders, or they left the scope while still linked)
    // is emptied on the PBX; one of a user no longer linked only forgets what it knew.
    const linked = source.owner && (owner ?? (await context.linkedUsers.get(source.owner.objectId)));
    const book = linked ? personalBook(port, { id: linked.pbxUserId, userName: linked.pbxUserName }) : undefined;
    if (linked) await actAsUser(accessDeps(context), linked, () => sync.remove(source, book));
    else await sync.remove(source, undefined);
  }
  return counted(result);
}

async function syncOwner(
  context: FeatureContext<PersonalContactsOptions>,
  sync: ContactSourceSync,
  port: PbxPersonalContacts,
  owner: LinkedUser,
  knownKeys: ReadonlySet<string>,
  wanted: Set<string>,
  mode: 'full' | 'delta',
  result: FeatureRunResult,
): Promise<void> {
  const book = personalBook(port, { id: owner.pbxUserId, userName: owner.pbxUserName });
  let folders: string[];
  try {
    folders =
      context.options.folders === 'ALL'
        ? [DEFAULT_CONTACT_FOLDER, ...(await context.mailboxReader.listContactFolders(owner.objectId)).map((f) => f.id)]
        : [DEFAULT_CONTACT_FOLDER];
  } catch (err) {
    const reason = unreadableMailboxReason(err);
    if (!reason) throw err;
    return skip(context, result, owner, reason, `mailbox of ${owner.objectId} cannot be read (${reason})`);
  }
  const sources: ContactSource[] = folders.map((folderId) => ({
    tenantId: context.tenantId,
    sourceKey: contactSourceKey(FEATURE, owner.objectId, folderId),
    feature: FEATURE,
    mailbox: owner.objectId,
    folderId,
    owner: { objectId: owner.objectId, pbxUserId: owner.pbxUserId, pbxUserName: owner.pbxUserName },
    updatedAt: new Date().toISOString(),
  }));
  for (const source of sources) wanted.add(source.sourceKey);
  const access = await actAsUser(accessDeps(context), owner, async () => {
    for (const source of sources) await sync.sync(source, book, knownKeys.has(source.sourceKey), mode);
  });
  if (!access.ok) skip(context, result, owner, `noUserAccess.${access.reason}`, describeNoUserAccess(access.reason));
}

function accessDeps(context: FeatureContext<unknown>) {
  return { portalAccess: context.pbxPortalAccess, manageUserPasswords: context.manageUserPasswords };
}

/** The synced users whose contacts this run copies. */
async function ownersInScope(context: FeatureContext<PersonalContactsOptions>): Promise<LinkedUser[]> {
  return usersInScope(context, context.options.users, await context.linkedUsers.list());
}

function skip(context: FeatureContext<unknown>, result: FeatureRunResult, owner: LinkedUser, reason: string, message: string): void {
  result.counts.skipped += 1;
  result.skippedByReason[reason] = (result.skippedByReason[reason] ?? 0) + 1;
  if (result.issues.length < MAX_RUN_ISSUES) result.issues.push({ objectId: owner.objectId, action: 'skip', code: reason, message });
  context.changes?.add({ feature: FEATURE, sourceId: owner.objectId, extension: owner.extensionNumber, outcome: 'skipped', reason });
}

function issue(result: FeatureRunResult, objectId: string, code: string, message: string): void {
  result.counts.failed += 1;
  if (result.issues.length < MAX_RUN_ISSUES) result.issues.push({ objectId, code, message });
}
