import { type FeatureContext, type FeatureTeardownRequest, type FeatureTeardownResult } from '../Feature';
import { companyBook } from './ContactBook';
import { phonebookManifest } from './phonebookManifest';
import { type PhonebookOptions } from './phonebookOptions';
import { ContactTeardownTally, teardownContactSource } from './teardownContactSource';

/**
 * The phonebook is paused or the tenant disconnected: the company phonebook entries the connector wrote (those
 * its links name; entries made on the PBX have none and stay) are deleted (`delete`) or handed over (`retain`).
 * Every folder's links, delta state and record go, so a resume starts with a full round; the link of an entry
 * whose PBX delete failed is kept, so it is not forgotten while it still exists.
 */
export async function teardownPhonebook(
  context: FeatureContext<PhonebookOptions>,
  request: FeatureTeardownRequest,
): Promise<FeatureTeardownResult> {
  const { tenantId, log } = context;
  const port = context.pbxContacts.company;
  const deleting = request.pbxRecords === 'delete';
  const book = deleting && port ? companyBook(port) : undefined;
  const tally = new ContactTeardownTally();
  // One folder after another, as the sync writes them.
  for (const source of await context.contactSources.listByTenant(tenantId, phonebookManifest.name))
    await teardownContactSource(context, source, book, tally, request.dryRun);
  const result = tally.result();
  if (deleting && !port && result.handedOver > 0)
    result.notes.unshift("the tenant's PBX adapter cannot delete company contacts: they are handed over instead");
  if (result.failed > 0 && !request.dryRun) log.warn('phonebook teardown left links behind', { tenant: tenantId, failed: result.failed });
  return result;
}
