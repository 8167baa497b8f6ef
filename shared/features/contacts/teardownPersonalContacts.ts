import { actAsUser } from '../../engine/actAsUser';
import { type ContactSource } from '../../engine/ContactSourceStore';
import { runWithConcurrency } from '../../engine/runWithConcurrency';
import { type NoUserAccessReason } from '../../pbx/ports/PortalPasswords';
import { type FeatureContext, type FeatureTeardownRequest, type FeatureTeardownResult } from '../Feature';
import { type ContactBook, personalBook } from './ContactBook';
import { personalContactsManifest } from './personalContactsManifest';
import { type PersonalContactsOptions } from './personalContactsOptions';
import { ContactTeardownTally, teardownContactSource } from './teardownContactSource';

/**
 * Personal contacts are paused or the tenant disconnected: the contacts the connector wrote into each user's PBX
 * contacts (those its links name; the user's own have none and stay) are deleted (`delete`, as the user: see
 * actAsUser) or handed over (`retain`). A user the connector cannot act as (adopted, no kept password, one the PBX
 * refuses) or who is no longer synced keeps them: handed over, and the notes say so. Every folder's links, delta
 * state and record go, so a resume starts with a full round; the link of a contact whose PBX delete failed is
 * kept, so it is not forgotten while it still exists.
 */
export async function teardownPersonalContacts(
  context: FeatureContext<PersonalContactsOptions>,
  request: FeatureTeardownRequest,
): Promise<FeatureTeardownResult> {
  const { tenantId, log } = context;
  const port = context.pbxContacts.personal;
  const deleting = request.pbxRecords === 'delete';
  const tally = new ContactTeardownTally();
  const byOwner = new Map<string, ContactSource[]>();
  for (const source of await context.contactSources.listByTenant(tenantId, personalContactsManifest.name)) {
    const owner = source.owner?.objectId.toLowerCase() ?? '';
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), source]);
  }
  let unsynced = 0;
  const noAccess = new Map<NoUserAccessReason, number>();
  const release = async (sources: readonly ContactSource[], book: ContactBook | undefined) => {
    for (const source of sources) await teardownContactSource(context, source, book, tally, request.dryRun);
  };
  const handOverAfterRefusal = async (sources: readonly ContactSource[], reason: NoUserAccessReason) => {
    noAccess.set(reason, (noAccess.get(reason) ?? 0) + 1);
    await release(sources, undefined);
  };

  // Mailboxes side by side as the sync goes through them, each folder's deletes as many in flight as it writes.
  await runWithConcurrency([...byOwner.values()], context.options.mailboxConcurrency, async (sources) => {
    const ownerId = sources[0]!.owner?.objectId;
    if (!deleting || !port) return release(sources, undefined);
    const owner = ownerId ? await context.linkedUsers.get(ownerId) : undefined;
    if (!owner) {
      unsynced += 1;
      return release(sources, undefined);
    }
    const book = personalBook(port, { id: owner.pbxUserId, userName: owner.pbxUserName });
    if (request.dryRun) {
      // The one refusal known without signing in; a refused password shows only when acting.
      if (owner.origin === 'adopted') return handOverAfterRefusal(sources, 'adopted');
      return release(sources, book);
    }
    const deps = { portalAccess: context.pbxPortalAccess, manageUserPasswords: context.manageUserPasswords };
    const access = await actAsUser(deps, owner, () => release(sources, book));
    if (!access.ok) await handOverAfterRefusal(sources, access.reason);
  });

  const result = tally.result();
  if (deleting && !port && result.handedOver > 0)
    result.notes.unshift("the tenant's PBX adapter cannot delete users' personal contacts: they are handed over instead");
  if (unsynced > 0) result.notes.push(`${unsynced} user(s) no longer synced: their contacts are handed over`);
  if (noAccess.size > 0) {
    const reasons = [...noAccess].map(([reason, count]) => `${reason}: ${count}`).join(', ');
    const users = [...noAccess.values()].reduce((sum, count) => sum + count, 0);
    result.notes.push(`the connector cannot act as ${users} user(s) (${reasons}): their contacts are handed over`);
  }
  if (result.failed > 0 && !request.dryRun)
    log.warn('personal contacts teardown left links behind', { tenant: tenantId, failed: result.failed });
  return result;
}
