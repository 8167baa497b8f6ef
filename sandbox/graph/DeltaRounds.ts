import { randomBytes } from 'node:crypto';
import { BoundedMap } from './BoundedMap';
import { type ChangeTracker } from './ChangeTracker';
import { projectUser, type UserSelection } from './userProjection';

export type DeltaExpiryKind = 'syncStateNotFound' | 'gone';

/** Who is in a round is fixed when it starts, so changes made while it is paged land in the next round. */
interface RoundSnapshot {
  ids: string[];
  selection: UserSelection;
  startSeq: number;
}

interface PageCursor {
  round: RoundSnapshot;
  offset: number;
  serial: number;
}

interface DeltaState {
  startSeq: number;
  selection: UserSelection;
  serial: number;
}

export type DeltaPage =
  | { kind: 'page'; selection: UserSelection; value: Record<string, unknown>[]; skipToken?: string; deltaToken?: string }
  | { kind: 'expired'; expiry: DeltaExpiryKind; selection: UserSelection }
  | { kind: 'unknownToken' };

export interface DeltaRequest {
  skipToken: string | null;
  deltaToken: string | null;
  /** Only used by a round's first request; later requests take it from their token, as Graph does. */
  selection: UserSelection;
}

const TOKEN_LIMIT = 20_000;

/**
 * Users delta rounds behind opaque `$skiptoken` / `$deltatoken` values (random ids mapped to state held
 * here). Starting an initial round is O(users), an incremental one O(changes since its token); each page
 * after that is O(page). Links stay replayable (a client may resume from a saved nextLink).
 */
export class DeltaRounds {
  private readonly cursors = new BoundedMap<string, PageCursor>(TOKEN_LIMIT);
  private readonly states = new BoundedMap<string, DeltaState>(TOKEN_LIMIT);
  private serial = 0;
  private expiry: { upTo: number; kind: DeltaExpiryKind } = { upTo: 0, kind: 'syncStateNotFound' };

  constructor(
    private readonly tracker: ChangeTracker,
    private readonly pageSize: number,
  ) {}

  reset(): void {
    this.cursors.clear();
    this.states.clear();
  }

  /** Every token issued so far stops working; later ones are fine. */
  expireIssuedTokens(kind: DeltaExpiryKind): void {
    this.expiry = { upTo: this.serial, kind };
  }

  /** `$deltatoken=latest`: a deltaLink from now, with no data. */
  latest(selection: UserSelection): string {
    return this.issueDeltaToken(this.tracker.sequence, selection);
  }

  page(request: DeltaRequest): DeltaPage {
    let cursor: PageCursor;
    if (request.skipToken) {
      const found = this.cursors.get(request.skipToken);
      if (!found) return { kind: 'unknownToken' };
      if (found.serial <= this.expiry.upTo) return { kind: 'expired', expiry: this.expiry.kind, selection: found.round.selection };
      cursor = found;
    } else if (request.deltaToken) {
      const state = this.states.get(request.deltaToken);
      if (!state) return { kind: 'unknownToken' };
      if (state.serial <= this.expiry.upTo) return { kind: 'expired', expiry: this.expiry.kind, selection: state.selection };
      cursor = this.startRound(state.startSeq, state.selection);
    } else {
      cursor = this.startRound(null, request.selection);
    }
    return this.render(cursor);
  }

  private startRound(since: number | null, selection: UserSelection): PageCursor {
    const round = { ids: this.tracker.idsForRound(since, selection.properties), selection, startSeq: this.tracker.sequence };
    return { round, offset: 0, serial: 0 };
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
      const skipToken = newToken();
      this.cursors.set(skipToken, { round, offset: end, serial: ++this.serial });
      return { kind: 'page', selection: round.selection, value, skipToken };
    }
    return { kind: 'page', selection: round.selection, value, deltaToken: this.issueDeltaToken(round.startSeq, round.selection) };
  }

  private issueDeltaToken(startSeq: number, selection: UserSelection): string {
    const token = newToken();
    this.states.set(token, { startSeq, selection, serial: ++this.serial });
    return token;
  }
}

function newToken(): string {
  return randomBytes(18).toString('base64url');
}
