import { DeltaRoundState } from '../../engine/DeltaRoundState';
import { type DeltaStateStore } from '../../engine/DeltaStateStore';
import { type FeatureRunResult } from '../../engine/FeatureRunResult';
import { RunTally } from '../../engine/RunTally';
import { chooseRoundStart } from '../../engine/chooseRoundStart';
import { runDeltaRound } from '../../engine/runDeltaRound';
import { type MailboxReader } from '../../graph/MailboxReader';
import { type ContactsDeltaPage } from '../../graph/OutlookContact';
import { type PbxContactLimits } from '../../pbx/ports/PbxProfile';
import { ContactFolderRun, type ContactFolderRunDeps } from './ContactFolderRun';
import { type ContactAction, planContactPage } from './planContactPage';

/**
 * Bumped when the Outlook → PBX mapping changes: every folder's next round is then a full one, so contacts
 * written under the old mapping are rewritten.
 */
const CONTACT_MAPPING_VERSION = 'contacts-1';

export interface SyncContactFolderDeps extends Omit<ContactFolderRunDeps, 'planned'> {
  reader: MailboxReader;
  deltaStates: DeltaStateStore;
  limits: PbxContactLimits;
  result: FeatureRunResult;
}

/**
 * One delta round of one source folder into its PBX book, checkpointed page by page under the folder's
 * own delta state. A full round that read the folder from its start also deletes what it did not see (a
 * contact deleted while no delta reached us); a resumed one cannot know, so it leaves the sweep to the next.
 */
export async function syncContactFolder(deps: SyncContactFolderDeps, mode: 'full' | 'delta'): Promise<void> {
  const { tenantId, source, dryRun, result } = deps;
  const state = await DeltaRoundState.load(
    deps.deltaStates,
    { tenantId, resource: source.sourceKey, optionsHash: CONTACT_MAPPING_VERSION },
    dryRun,
  );
  const start = chooseRoundStart(state.current, CONTACT_MAPPING_VERSION, mode);
  const run = new ContactFolderRun({ ...deps, planned: result.plannedActions });
  const tally = new RunTally(result);
  const seen = new Set<string>();
  const end = await runDeltaRound<ContactsDeltaPage, ContactAction[], Awaited<ReturnType<ContactFolderRun['apply']>>>({
    read: (from) => deps.reader.contactsDelta(source.mailbox, source.folderId, from),
    state,
    start,
    startedAt: start.startedAt ?? deps.now().toISOString(),
    onRestart: () => {
      seen.clear();
      result.notes.push(`contacts of ${source.mailbox}: delta token expired; read again in full`);
    },
    itemIds: (page) => [...page.contacts.map((c) => c.id), ...page.removedIds],
    plan: async (page) => {
      result.pages += 1;
      result.itemsRead += page.contacts.length + page.removedIds.length;
      for (const contact of page.contacts) seen.add(contact.id);
      if (page.contacts.length + page.removedIds.length > 0) await run.ensureLinks();
      return planContactPage(page, run.byContactId, deps.limits);
    },
    apply: async (actions, turn) => {
      await turn.ready;
      turn.started();
      return run.apply(actions);
    },
    settle: async (_page, _actions, outcome) => {
      tally.merge(outcome);
      await deps.changes?.flush();
    },
  });
  if (end.mode === 'full' && !end.resumed) {
    await run.ensureLinks();
    const unseen = run.unseen(seen);
    if (unseen.length > 0) tally.merge(await run.apply(unseen));
  }
  await deps.changes?.flush();
  await state.complete(end.deltaLink, deps.now().toISOString());
}
