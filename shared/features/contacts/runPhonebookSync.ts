import { type ContactSource } from '../../engine/ContactSourceStore';
import { countRunRequests, type FeatureRunResult, startFeatureRunResult } from '../../engine/FeatureRunResult';
import { MAX_RUN_ISSUES } from '../../engine/RunStore';
import { DEFAULT_CONTACT_FOLDER } from '../../graph/MailboxReader';
import { type FeatureContext } from '../Feature';
import { companyBook } from './ContactBook';
import { contactSourceKey } from './contactSourceKey';
import { requirePort } from '../../engine/requirePort';
import { ContactSourceSync, unreadableMailboxReason } from './ContactSourceSync';
import { type PhonebookOptions } from './phonebookOptions';

const FEATURE = 'phonebook';

/**
 * One phonebook run: every contact folder of each chosen shared mailbox → the company phonebook, folder by
 * folder under its own delta state. A mailbox the app cannot read is reported (its folders stay as they
 * are); a mailbox taken off the list has its contacts deleted from the phonebook. Contacts people added to
 * the phonebook on the PBX have no link and are never touched.
 */
export async function runPhonebookSync(
  context: FeatureContext<PhonebookOptions>,
  request: { mode: 'full' | 'delta'; dryRun: boolean },
): Promise<FeatureRunResult> {
  const book = companyBook(requirePort(context.pbxContacts.company, 'company contacts', context.pbxProfile.productName));
  const result = startFeatureRunResult(request);
  const counted = countRunRequests(context.mailboxReader, context.pbx);
  const sync = new ContactSourceSync(context, FEATURE, result, request.dryRun);
  const known = await sync.sources();
  const knownKeys = new Set(known.map((s) => s.sourceKey));
  const keep = new Set<string>();

  for (const mailbox of context.options.sharedMailboxes) {
    let folders: string[];
    try {
      folders = [DEFAULT_CONTACT_FOLDER, ...(await context.mailboxReader.listContactFolders(mailbox)).map((f) => f.id)];
    } catch (err) {
      const reason = unreadableMailboxReason(err);
      if (!reason) throw err;
      // Its folders are kept as they are: an unreadable mailbox is no reason to empty the phonebook.
      for (const source of known) if (source.mailbox === mailbox) keep.add(source.sourceKey);
      result.counts.skipped += 1;
      result.skippedByReason[reason] = (result.skippedByReason[reason] ?? 0) + 1;
      if (result.issues.length < MAX_RUN_ISSUES)
        result.issues.push({
          objectId: mailbox,
          action: 'skip',
          code: reason,
          message: `shared mailbox ${mailbox} cannot be read (${reason})`,
        });
      continue;
    }
    for (const folderId of folders) {
      const source: ContactSource = {
        tenantId: context.tenantId,
        sourceKey: contactSourceKey(FEATURE, mailbox, folderId),
        feature: FEATURE,
        mailbox,
        folderId,
        updatedAt: new Date().toISOString(),
      };
      keep.add(source.sourceKey);
      await sync.sync(source, book, knownKeys.has(source.sourceKey), request.mode);
    }
  }
  for (const source of known) if (!keep.has(source.sourceKey)) await sync.remove(source, book);
  return counted(result);
}
