import { type BatchOutcome, addCount } from '../../engine/BatchOutcome';
import { type ContactLink, type ContactLinkStore } from '../../engine/ContactLinkStore';
import { type ContactSource } from '../../engine/ContactSourceStore';
import { isAppError } from '../../core/errors/AppError';
import { ensureError } from '../../core/errors/ensureError';
import { isRetryable } from '../../core/errors/isRetryable';
import { type RunChangeRecorder } from '../../engine/RunChangeRecorder';
import { runWithConcurrency } from '../../engine/runWithConcurrency';
import { type PbxContact, type PbxContactFields } from '../../pbx/ports/PbxContact';
import { noUserAccessReasonOf } from '../../pbx/ports/PortalPasswords';
import { type ContactBook } from './ContactBook';
import { matchesWrittenContact } from './matchesWrittenContact';
import { type ContactAction } from './planContactPage';

export interface ContactFolderRunDeps {
  tenantId: string;
  feature: string;
  source: ContactSource;
  book: ContactBook;
  linkStore: ContactLinkStore;
  dryRun: boolean;
  /** PBX writes in flight for this folder. */
  concurrency: number;
  changes?: RunChangeRecorder | undefined;
  /** Dry runs: every action planned. */
  planned?: unknown[] | undefined;
  now: () => Date;
}

type Finished = { put?: ContactLink; drop?: string };

/**
 * Applies the planned actions of one source folder to its PBX book and keeps the folder's links. A create
 * is announced by a `creating` link first (write-ahead); a replay finds its earlier create by the fields it
 * wrote, so a crash between the PBX write and the link never leaves two contacts. The links of one batch
 * are written together after its PBX writes; a retryable failure leaves the item's old link (so the page
 * is read again) and is reported in the outcome, and a user the connector cannot act as (NoUserAccess)
 * stops the folder at once.
 */
export class ContactFolderRun {
  /** Links by Outlook contact id, as stored now. */
  readonly byContactId = new Map<string, ContactLink>();
  private pbxContacts: Promise<PbxContact[]> | undefined;
  private linksLoaded: Promise<void> | undefined;

  constructor(private readonly deps: ContactFolderRunDeps) {}

  /**
   * Reads the folder's links once, when first needed: a delta round with no change never needs them, so an
   * unchanged folder costs its delta request and its state write, not a read of every link.
   */
  ensureLinks(): Promise<void> {
    this.linksLoaded ??= (async () => {
      for (const link of await this.deps.linkStore.listBySource(this.deps.tenantId, this.deps.source.sourceKey))
        this.byContactId.set(link.contactId, link);
    })();
    return this.linksLoaded;
  }

  async apply(actions: readonly ContactAction[]): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { counts: {}, issues: [] };
    if (this.deps.dryRun) {
      for (const action of actions) this.count(outcome, action);
      this.deps.planned?.push(...actions.filter((a) => a.kind !== 'unchanged').map(plannedView));
      return outcome;
    }
    const creates = actions.filter((a) => a.kind === 'create');
    if (creates.length > 0) {
      const reserved = creates.map((a) => this.linkOf(a.contactId, 'creating', a.fields));
      await this.deps.linkStore.putMany(reserved);
      for (const link of reserved) this.byContactId.set(link.contactId, link);
    }
    const finished: Finished[] = [];
    let stop: Error | undefined;
    await runWithConcurrency(actions, this.deps.concurrency, async (action) => {
      if (stop) return;
      try {
        const done = await this.applyOne(action);
        if (done) finished.push(done);
        this.count(outcome, action, done?.put?.pbxContactId);
      } catch (caught) {
        const err = ensureError(caught);
        if (noUserAccessReasonOf(err)) stop ??= err;
        else if (isRetryable(err)) outcome.retryableError ??= err;
        else this.fail(outcome, action, err, finished);
      }
    });
    await this.settleLinks(finished);
    if (stop) throw stop;
    return outcome;
  }

  /** Links of contacts the full round did not see: they were deleted while no delta reached us. */
  unseen(seen: ReadonlySet<string>): ContactAction[] {
    return [...this.byContactId.values()]
      .filter((link) => !seen.has(link.contactId))
      .map((link) => ({ kind: 'delete', contactId: link.contactId, label: link.fields.displayName, link, reason: 'deleted' }));
  }

  private async applyOne(action: ContactAction): Promise<Finished | undefined> {
    const { book } = this.deps;
    switch (action.kind) {
      case 'create': {
        const { id } = await book.create(action.fields);
        return { put: this.linkOf(action.contactId, 'active', action.fields, id) };
      }
      case 'resume': {
        const earlier = await this.findEarlierCreate(action.link);
        if (!earlier) return { put: this.linkOf(action.contactId, 'active', action.fields, (await book.create(action.fields)).id) };
        const changes = pick(action.fields, earlier);
        if (Object.keys(changes).length > 0) await book.update(earlier.id, changes);
        return { put: this.linkOf(action.contactId, 'active', action.fields, earlier.id) };
      }
      case 'update': {
        const pbxId = action.link.pbxContactId!;
        try {
          await book.update(pbxId, Object.fromEntries(action.changed.map((key) => [key, action.fields[key]])));
          return { put: this.linkOf(action.contactId, 'active', action.fields, pbxId) };
        } catch (err) {
          // Someone deleted our contact on the PBX: Outlook is the source, so it comes back.
          if (!isAppError(err, 'NOT_FOUND')) throw err;
          return { put: this.linkOf(action.contactId, 'active', action.fields, (await book.create(action.fields)).id) };
        }
      }
      case 'delete': {
        const pbxId = action.link.pbxContactId ?? (await this.findEarlierCreate(action.link))?.id;
        if (pbxId) await book.delete(pbxId);
        return { drop: action.contactId };
      }
      case 'unchanged':
      case 'skip':
        return undefined;
    }
  }

  /** The PBX contact an interrupted create made, if it got that far (the book is listed once per folder run). */
  private async findEarlierCreate(link: ContactLink): Promise<PbxContact | undefined> {
    this.pbxContacts ??= (async () => {
      const all: PbxContact[] = [];
      for await (const page of this.deps.book.list()) all.push(...page);
      return all;
    })();
    const taken = new Set([...this.byContactId.values()].flatMap((l) => (l.pbxContactId ? [l.pbxContactId] : [])));
    return (await this.pbxContacts).find((contact) => !taken.has(contact.id) && matchesWrittenContact(contact, link.fields));
  }

  private async settleLinks(finished: readonly Finished[]): Promise<void> {
    const puts = finished.flatMap((f) => (f.put ? [f.put] : []));
    const drops = finished.flatMap((f) => (f.drop ? [f.drop] : []));
    if (puts.length > 0) await this.deps.linkStore.putMany(puts);
    if (drops.length > 0) await this.deps.linkStore.deleteMany(this.deps.tenantId, this.deps.source.sourceKey, drops);
    for (const link of puts) this.byContactId.set(link.contactId, link);
    for (const id of drops) this.byContactId.delete(id);
  }

  private count(outcome: BatchOutcome, action: ContactAction, pbxId?: string): void {
    const { feature } = this.deps;
    const base = { feature, sourceId: action.contactId };
    switch (action.kind) {
      case 'create':
      case 'resume':
        addCount(outcome, 'created');
        this.deps.changes?.add({ ...base, label: action.label, outcome: 'created', pbxId });
        return;
      case 'update':
        addCount(outcome, 'updated');
        this.deps.changes?.add({
          ...base,
          label: action.label,
          outcome: 'updated',
          fields: action.changed,
          pbxId: action.link.pbxContactId,
        });
        return;
      case 'delete':
        addCount(outcome, 'deleted');
        this.deps.changes?.add({ ...base, label: action.label, outcome: 'deleted', pbxId: action.link.pbxContactId });
        return;
      case 'unchanged':
        // Not listed one by one: a mailbox re-read in full would list thousands of them.
        addCount(outcome, 'unchanged');
        return;
      case 'skip':
        addCount(outcome, 'skipped');
        outcome.issues.push({
          objectId: action.contactId,
          action: 'skip',
          code: action.reason,
          message: skipMessage(action.reason, action.label),
        });
        this.deps.changes?.add({ ...base, label: action.label, outcome: 'skipped', reason: action.reason });
    }
  }

  private fail(outcome: BatchOutcome, action: ContactAction, err: Error, finished: Finished[]): void {
    addCount(outcome, 'failed');
    const code = isAppError(err) ? (err.upstreamCode ?? err.code) : 'UNKNOWN';
    outcome.issues.push({ objectId: action.contactId, action: action.kind, code, message: err.message });
    this.deps.changes?.add({ feature: this.deps.feature, sourceId: action.contactId, outcome: 'failed', code, message: err.message });
    // A refused create leaves nothing on the PBX: its reservation goes, so the next full round tries again.
    if (action.kind === 'create') finished.push({ drop: action.contactId });
  }

  private linkOf(contactId: string, state: ContactLink['state'], fields: PbxContactFields, pbxContactId?: string): ContactLink {
    const { tenantId, source } = this.deps;
    return { tenantId, sourceKey: source.sourceKey, contactId, state, fields, updatedAt: this.deps.now().toISOString(), pbxContactId };
  }
}

/** The fields of `wanted` that `found` holds differently (blank on the PBX where the product lacks the field counts as equal). */
function pick(wanted: PbxContactFields, found: PbxContact): Partial<PbxContactFields> {
  const keys = (Object.keys(wanted) as (keyof PbxContactFields)[]).filter(
    (key) => key !== 'givenName' && key !== 'surname' && key !== 'displayName' && found[key] !== wanted[key] && found[key] !== '',
  );
  return Object.fromEntries(keys.map((key) => [key, wanted[key]]));
}

function skipMessage(reason: string, label: string): string {
  const who = label ? `contact "${label}"` : 'a contact without a name';
  return reason === 'missingName'
    ? `${who} has no name; not written to the PBX`
    : `${who} has no business, mobile or home number; not written to the PBX`;
}

/** What a dry run shows of an action (never the contact's values beyond its name). */
function plannedView(action: ContactAction): unknown {
  switch (action.kind) {
    case 'update':
      return { kind: 'update', contactId: action.contactId, label: action.label, fields: action.changed };
    case 'delete':
      return { kind: 'delete', contactId: action.contactId, label: action.label, reason: action.reason };
    case 'skip':
      return { kind: 'skip', contactId: action.contactId, label: action.label, reason: action.reason };
    case 'unchanged':
      return { kind: 'unchanged', contactId: action.contactId };
    case 'create':
    case 'resume':
      return { kind: 'create', contactId: action.contactId, label: action.label };
  }
}
