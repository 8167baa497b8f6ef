import { type ChangeTracker } from './ChangeTracker';
import { type DeltaExpiryKind, type DeltaTokenRequest, DeltaTokens, type RefusedToken } from './DeltaTokens';
import { projectUser, type UserSelection } from './userProjection';

export type { DeltaExpiryKind } from './DeltaTokens';

/** Who is in a round is fixed when it starts, so changes made while it is paged land in the next round. */
interface RoundSnapshot {
  ids: string[];
  selection: UserSelection;
  startSeq: number;
}

interface PageCursor {
  round: RoundSnapshot;
  offset: number;
}

/** One page of a round (users or groups), or why its token is refused. */
export type DeltaPage =
  | { kind: 'page'; selection: UserSelection; value: Record<string, unknown>[]; skipToken?: string; deltaToken?: string }
  | RefusedToken<UserSelection>;

export type DeltaRequest = DeltaTokenRequest<UserSelection>;

/**
 * Users delta rounds behind opaque `$skiptoken` / `$deltatoken` values (random ids mapped to state held
 * here). Starting an initial round is O(users), an incremental one O(changes since its token); each page
 * after that is O(page). Links stay replayable (a client may resume from a saved nextLink).
 */
export class DeltaRounds {
  private readonly tokens = new DeltaTokens<PageCursor, UserSelection>();

  constructor(
    private readonly tracker: ChangeTracker,
    private readonly pageSize: number,
  ) {}

  reset(): void {
    this.tokens.reset();
  }

  /** Every token issued so far stops working; later ones are fine. */
  expireIssuedTokens(kind: DeltaExpiryKind): void {
    this.tokens.expireIssued(kind);
  }

  /** `$deltatoken=latest`: a deltaLink from now, with no data. */
  latest(selection: UserSelection): string {
    return this.issueDeltaToken(this.tracker.sequence, selection);
  }

  page(request: DeltaRequest): DeltaPage {
    const found = this.tokens.cursorFor(request, (since, selection) => this.startRound(since, selection));
    return found.kind === 'cursor' ? this.render(found.cursor) : found;
  }

  private startRound(since: number | null, selection: UserSelection): PageCursor {
    const round = { ids: this.tracker.idsForRound(since, selection.properties), selection, startSeq: this.tracker.sequence };
    return { round, offset: 0 };
  }

  private render({ round, offset }: PageCursor): DeltaPage {
    const end = Math.min(offset + this.pageSize, round.ids.length);
    const value: Record<string, unknown>[] = [];
    for (let i = offset; i < end; i += 1) {
      const id = round.ids[i]!;
      const tracked = this.tracker.find(id);
      if (!tracked) continue;
      // Current state, not the state at round start: a later change is also reported again next round.
      value.push(
        tracked.removed ? { id, '@removed': { reason: tracked.removed.reason } } : projectUser(tracked.user, round.selection.properties),
      );
    }
    if (end < round.ids.length) {
      const skipToken = this.tokens.issueSkipToken({ round, offset: end });
      return { kind: 'page', selection: round.selection, value, skipToken };
    }
    return { kind: 'page', selection: round.selection, value, deltaToken: this.issueDeltaToken(round.startSeq, round.selection) };
  }

  private issueDeltaToken(startSeq: number, selection: UserSelection): string {
    return this.tokens.issueDeltaToken({ startSeq, selection });
  }
}
