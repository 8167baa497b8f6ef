import { randomBytes } from 'node:crypto';
import { BoundedMap } from './BoundedMap';

export type DeltaExpiryKind = 'syncStateNotFound' | 'gone';

/** What a token stands for: found, issued before an expiry fault, or never issued (or forgotten). */
export type TokenLookup<T> =
  { kind: 'found'; value: T } | { kind: 'expired'; expiry: DeltaExpiryKind; value: T } | { kind: 'unknownToken' };

const TOKEN_LIMIT = 20_000;

/** What a deltaLink stands for: the change sequence its round started at and the round's selection. */
export interface DeltaState<S> {
  startSeq: number;
  selection: S;
}

/** A position inside a round; the round knows its own selection. */
export interface RoundCursor<S> {
  round: { selection: S };
}

export interface DeltaTokenRequest<S> {
  skipToken: string | null;
  deltaToken: string | null;
  /** Only used by a round's first request; later requests take it from their token, as Graph does. */
  selection: S;
}

/** A token that is not (or no longer) accepted; an expired one keeps its round's selection for the 410 Location. */
export type RefusedToken<S> = { kind: 'expired'; expiry: DeltaExpiryKind; selection: S } | { kind: 'unknownToken' };

/**
 * Opaque `$skiptoken` / `$deltatoken` values of one delta resource (users, groups): random ids mapped to
 * state held here, a serial per issued token so an expiry fault hits every token issued before it, and a
 * bound so abandoned rounds do not hold memory forever.
 */
export class DeltaTokens<Cursor extends RoundCursor<S>, S, State extends DeltaState<S> = DeltaState<S>> {
  private readonly cursors = new BoundedMap<string, { value: Cursor; serial: number }>(TOKEN_LIMIT);
  private readonly states = new BoundedMap<string, { value: State; serial: number }>(TOKEN_LIMIT);
  private serial = 0;
  private expiry: { upTo: number; kind: DeltaExpiryKind } = { upTo: 0, kind: 'syncStateNotFound' };

  reset(): void {
    this.cursors.clear();
    this.states.clear();
  }

  /** Every token issued so far stops working; later ones are fine. */
  expireIssued(kind: DeltaExpiryKind): void {
    this.expiry = { upTo: this.serial, kind };
  }

  /**
   * Where a page request continues: its skip token's cursor, a new round since its delta token, or a new
   * initial round (`since` null); or why its token is refused.
   */
  cursorFor(
    request: DeltaTokenRequest<S>,
    startRound: (since: number | null, selection: S) => Cursor,
  ): { kind: 'cursor'; cursor: Cursor } | RefusedToken<S> {
    if (request.skipToken) {
      const found = this.findSkipToken(request.skipToken);
      return found.kind === 'found' ? { kind: 'cursor', cursor: found.value } : refused(found, (c) => c.round.selection);
    }
    if (request.deltaToken) {
      const state = this.findDeltaToken(request.deltaToken);
      if (state.kind !== 'found') return refused(state, (st) => st.selection);
      return { kind: 'cursor', cursor: startRound(state.value.startSeq, state.value.selection) };
    }
    return { kind: 'cursor', cursor: startRound(null, request.selection) };
  }

  issueSkipToken(cursor: Cursor): string {
    const token = newToken();
    this.cursors.set(token, { value: cursor, serial: ++this.serial });
    return token;
  }

  issueDeltaToken(state: State): string {
    const token = newToken();
    this.states.set(token, { value: state, serial: ++this.serial });
    return token;
  }

  findSkipToken(token: string): TokenLookup<Cursor> {
    return this.lookup(this.cursors.get(token));
  }

  findDeltaToken(token: string): TokenLookup<State> {
    return this.lookup(this.states.get(token));
  }

  private lookup<T>(entry: { value: T; serial: number } | undefined): TokenLookup<T> {
    if (!entry) return { kind: 'unknownToken' };
    if (entry.serial <= this.expiry.upTo) return { kind: 'expired', expiry: this.expiry.kind, value: entry.value };
    return { kind: 'found', value: entry.value };
  }
}

function refused<T, S>(lookup: Exclude<TokenLookup<T>, { kind: 'found' }>, selectionOf: (value: T) => S): RefusedToken<S> {
  return lookup.kind === 'expired' ? { kind: 'expired', expiry: lookup.expiry, selection: selectionOf(lookup.value) } : lookup;
}

function newToken(): string {
  return randomBytes(18).toString('base64url');
}
