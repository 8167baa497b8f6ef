import { type DeltaExpiryKind, type DeltaTokenRequest, DeltaTokens, type RefusedToken } from './DeltaTokens';
import { contactOf, type MailboxStore, type SandboxContactFolder, type SandboxMailbox } from './MailboxStore';
import { projectContact } from './SandboxContact';

/** What a contacts round selected, and which folder it belongs to (a token only works on its own folder). */
export interface ContactSelection {
  properties: string[];
  /** `$select` as sent, for a restart URL. */
  query: string | null;
  mailboxId: string;
  folderId: string;
}

interface ContactRound {
  ids: string[];
  selection: ContactSelection;
  startSeq: number;
}

interface ContactCursor {
  round: ContactRound;
  offset: number;
}

export type ContactDeltaPage =
  | { kind: 'page'; selection: ContactSelection; value: Record<string, unknown>[]; skipToken?: string; deltaToken?: string }
  | RefusedToken<ContactSelection>;

/**
 * Contact folder delta rounds behind opaque tokens (the same DeltaTokens as users and groups). A round's
 * members are fixed when it starts; each page shows their current state, so a contact edited several times
 * appears once, as it is now. The page size is the request's (Outlook takes `Prefer: odata.maxpagesize` on
 * every request of a round).
 */
export class ContactDeltaRounds {
  private readonly tokens = new DeltaTokens<ContactCursor, ContactSelection>();

  constructor(private readonly store: MailboxStore) {}

  reset(): void {
    this.tokens.reset();
  }

  expireIssuedTokens(kind: DeltaExpiryKind): void {
    this.tokens.expireIssued(kind);
  }

  page(
    mailbox: SandboxMailbox,
    folder: SandboxContactFolder,
    request: DeltaTokenRequest<ContactSelection>,
    pageSize: number,
  ): ContactDeltaPage {
    const found = this.tokens.cursorFor(request, (since, selection) => ({
      round: { ids: this.store.idsForRound(folder, since), selection, startSeq: this.store.sequence },
      offset: 0,
    }));
    if (found.kind !== 'cursor') return found;
    const { round, offset } = found.cursor;
    // A token used on another folder's URL is one that folder never issued.
    if (round.selection.mailboxId !== mailbox.userId || round.selection.folderId !== folder.id) return { kind: 'unknownToken' };
    const end = Math.min(offset + pageSize, round.ids.length);
    const value: Record<string, unknown>[] = [];
    for (let i = offset; i < end; i += 1) {
      const id = round.ids[i]!;
      const tracked = folder.contacts.get(id);
      if (!tracked) continue;
      value.push(
        tracked.removedSeq !== undefined
          ? { id, '@removed': { reason: 'deleted' } }
          : projectContact(contactOf(tracked), round.selection.properties),
      );
    }
    if (end < round.ids.length)
      return { kind: 'page', selection: round.selection, value, skipToken: this.tokens.issueSkipToken({ round, offset: end }) };
    const deltaToken = this.tokens.issueDeltaToken({ startSeq: round.startSeq, selection: round.selection });
    return { kind: 'page', selection: round.selection, value, deltaToken };
  }
}
