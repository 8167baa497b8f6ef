import { isAppError } from '../../core/errors/AppError';
import { type ContactSource } from '../../engine/ContactSourceStore';
import { type FeatureRunResult } from '../../engine/FeatureRunResult';
import { RunTally } from '../../engine/RunTally';
import { type FeatureContext } from '../Feature';
import { type ContactBook } from './ContactBook';
import { ContactFolderRun, type ContactFolderRunDeps } from './ContactFolderRun';
import { syncContactFolder } from './syncContactFolder';

/** PBX writes in flight per folder: Outlook reads are the slow part, and many folders run side by side. */
export const WRITES_PER_FOLDER = 4;

/**
 * What a contact feature's run does with its source folders: remembers each new one before reading it (so a
 * later run can clean up after it), runs its delta round into its book, and removes a folder that is no
 * longer wanted — its PBX contacts too when the book is still reachable.
 */
export class ContactSourceSync {
  readonly now = () => new Date();

  constructor(
    private readonly context: FeatureContext<unknown>,
    private readonly feature: string,
    private readonly result: FeatureRunResult,
    private readonly dryRun: boolean,
  ) {}

  sources(): Promise<ContactSource[]> {
    return this.context.contactSources.listByTenant(this.context.tenantId, this.feature);
  }

  async sync(source: ContactSource, book: ContactBook, known: boolean, mode: 'full' | 'delta'): Promise<void> {
    const { context } = this;
    if (!known && !this.dryRun) await context.contactSources.put(source);
    await syncContactFolder(
      {
        ...this.folderDeps(source, book),
        reader: context.mailboxReader,
        deltaStates: context.deltaStates,
        limits: context.pbxProfile.contactLimits,
        result: this.result,
      },
      mode,
    );
  }

  private folderDeps(source: ContactSource, book: ContactBook): ContactFolderRunDeps {
    const { context } = this;
    return {
      tenantId: context.tenantId,
      feature: this.feature,
      source,
      book,
      linkStore: context.contactLinks,
      dryRun: this.dryRun,
      concurrency: WRITES_PER_FOLDER,
      changes: context.changes,
      now: this.now,
    };
  }

  /** Forgets a folder; with a book, deletes the PBX contacts the connector made from it first. */
  async remove(source: ContactSource, book: ContactBook | undefined): Promise<void> {
    const { context } = this;
    if (book) {
      const run = new ContactFolderRun({ ...this.folderDeps(source, book), planned: this.result.plannedActions });
      await run.ensureLinks();
      new RunTally(this.result).merge(await run.apply(run.unseen(new Set())));
    }
    if (this.dryRun) return;
    await context.contactLinks.deleteSource(context.tenantId, source.sourceKey);
    await context.deltaStates.clear(context.tenantId, source.sourceKey);
    await context.contactSources.delete(context.tenantId, source.sourceKey);
  }
}

/**
 * Why a mailbox cannot be read, as a stable skip code: none (the user has no Exchange mailbox), or the app may
 * not read it (Exchange RBAC for Applications leaves it out). Undefined for any other failure.
 */
export function unreadableMailboxReason(err: unknown): 'noMailbox' | 'mailboxNotAllowed' | undefined {
  if (isAppError(err, 'NOT_FOUND')) return 'noMailbox';
  if (isAppError(err, 'FORBIDDEN') && err.upstreamCode !== 'NO_USER_ACCESS') return 'mailboxNotAllowed';
  return undefined;
}
