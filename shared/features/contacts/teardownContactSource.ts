import { ensureError } from '../../core/errors/ensureError';
import { type ContactLink, type ContactLinkStore } from '../../engine/ContactLinkStore';
import { type ContactSource, type ContactSourceStore } from '../../engine/ContactSourceStore';
import { type DeltaStateStore } from '../../engine/DeltaStateStore';
import { runWithConcurrency } from '../../engine/runWithConcurrency';
import { type PbxContact } from '../../pbx/ports/PbxContact';
import { noUserAccessReasonOf } from '../../pbx/ports/PortalPasswords';
import { type FeatureTeardownResult } from '../Feature';
import { type ContactBook } from './ContactBook';
import { WRITES_PER_FOLDER } from './ContactSourceSync';
import { matchesWrittenContact } from './matchesWrittenContact';

/** What becomes of one contact link when its feature is torn down. */
export type ContactTeardownStep = 'delete' | 'lookUp' | 'handOver' | 'forget';

/**
 * Pure. `deleting`: `delete` was asked and the book can be written (the port is there, its owner reachable).
 * A link with a PBX id is then deleted, else handed over. A link still `creating` has no PBX id: deleting, the
 * book is looked up for the contact its create may have made; otherwise it is forgotten, since nothing tells
 * whether that create happened.
 */
export function contactTeardownStep(link: Pick<ContactLink, 'pbxContactId'>, deleting: boolean): ContactTeardownStep {
  if (link.pbxContactId) return deleting ? 'delete' : 'handOver';
  return deleting ? 'lookUp' : 'forget';
}

/**
 * The counts of a contact feature's teardown across its source folders. Failures are kept by folder and contact,
 * so a folder tried again (actAsUser's second attempt after a new password) counts each contact once.
 */
export class ContactTeardownTally {
  deleted = 0;
  handedOver = 0;
  forgotten = 0;
  private readonly failures = new Map<string, string>();

  /** A dry run's count of what a step would do (a look-up counts as the delete it would most likely be). */
  plan(step: ContactTeardownStep): void {
    if (step === 'delete' || step === 'lookUp') this.deleted += 1;
    else if (step === 'handOver') this.handedOver += 1;
    else this.forgotten += 1;
  }

  done(key: string, step: Exclude<ContactTeardownStep, 'lookUp'>): void {
    this.failures.delete(key);
    this.plan(step);
  }

  fail(key: string, message: string): void {
    this.failures.set(key, message);
  }

  result(): FeatureTeardownResult {
    const notes: string[] = [];
    if (this.forgotten > 0) notes.push(`${this.forgotten} contact(s) whose PBX create never finished: forgotten`);
    const [firstError] = this.failures.values();
    if (firstError !== undefined)
      notes.push(`${this.failures.size} contact(s) could not be let go; their links are kept (first error: ${firstError})`);
    return { deleted: this.deleted, handedOver: this.handedOver, restored: 0, failed: this.failures.size, notes };
  }
}

export interface ContactSourceTeardownDeps {
  tenantId: string;
  contactLinks: ContactLinkStore;
  contactSources: ContactSourceStore;
  deltaStates: DeltaStateStore;
}

/**
 * Lets go of one source folder: with a book, each PBX contact its links name is deleted (as many in flight as a
 * sync writes per folder); without one, they are handed over. The folder's links, delta state and record then go,
 * except the links of contacts whose delete failed (and the record that lists them), so nothing still on the PBX
 * is forgotten; the delta state goes anyway, so a resume reads the folder in full. A NoUserAccess error stops the
 * folder once what was done is settled and is thrown: actAsUser may mend the session and call again, and that
 * call reads only the links that are left. With dryRun only the counts.
 */
export async function teardownContactSource(
  deps: ContactSourceTeardownDeps,
  source: ContactSource,
  book: ContactBook | undefined,
  tally: ContactTeardownTally,
  dryRun: boolean,
): Promise<void> {
  const { tenantId } = deps;
  const links = await deps.contactLinks.listBySource(tenantId, source.sourceKey);
  if (dryRun) {
    for (const link of links) tally.plan(contactTeardownStep(link, book !== undefined));
    return;
  }
  const taken = new Set(links.flatMap((link) => (link.pbxContactId ? [link.pbxContactId] : [])));
  let onPbx: Promise<PbxContact[]> | undefined;
  // The contact an interrupted create made, if it got that far (the book is listed once, only if needed).
  const earlierCreate = async (writer: ContactBook, link: ContactLink): Promise<PbxContact | undefined> => {
    onPbx ??= (async () => {
      const all: PbxContact[] = [];
      for await (const page of writer.list()) all.push(...page);
      return all;
    })();
    const found = (await onPbx).find((contact) => !taken.has(contact.id) && matchesWrittenContact(contact, link.fields));
    // Two reservations with the same fields do not both claim one contact.
    if (found) taken.add(found.id);
    return found;
  };
  const gone: string[] = [];
  let stop: Error | undefined;
  await runWithConcurrency(links, WRITES_PER_FOLDER, async (link) => {
    if (stop) return;
    const key = `${source.sourceKey}/${link.contactId}`;
    try {
      const step = contactTeardownStep(link, book !== undefined);
      let outcome: Exclude<ContactTeardownStep, 'lookUp'> = step === 'lookUp' ? 'forget' : step;
      if (step === 'delete') await book!.delete(link.pbxContactId!);
      if (step === 'lookUp') {
        const found = await earlierCreate(book!, link);
        if (found) {
          await book!.delete(found.id);
          outcome = 'delete';
        }
      }
      gone.push(link.contactId);
      tally.done(key, outcome);
    } catch (caught) {
      const err = ensureError(caught);
      if (noUserAccessReasonOf(err)) stop ??= err;
      else tally.fail(key, err.message);
    }
  });
  if (gone.length === links.length) await deps.contactLinks.deleteSource(tenantId, source.sourceKey);
  else if (gone.length > 0) await deps.contactLinks.deleteMany(tenantId, source.sourceKey, gone);
  await deps.deltaStates.clear(tenantId, source.sourceKey);
  if (stop) throw stop;
  if (gone.length === links.length) await deps.contactSources.delete(tenantId, source.sourceKey);
}
