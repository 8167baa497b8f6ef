import { type DeltaPage, type DeltaRequest } from './DeltaRounds';
import { type DeltaExpiryKind, DeltaTokens } from './DeltaTokens';
import { type GroupMemberEntry, type GroupTracker } from './GroupTracker';
import { projectProperties, type UserSelection } from './userProjection';

/** A group in a round with its `members@delta`, fixed when the round starts. */
interface RoundGroup {
  id: string;
  members: GroupMemberEntry[];
}

interface RoundSnapshot {
  groups: RoundGroup[];
  selection: UserSelection;
  startSeq: number;
}

/** The next group to render and how many of its member entries earlier pages already carried. */
interface PageCursor {
  round: RoundSnapshot;
  index: number;
  memberOffset: number;
}

export interface GroupDeltaPaging {
  /** Group objects per page. */
  pageSize: number;
  /** `members@delta` entries per page, over all its groups; a group with more continues on the next page. */
  membersPerPage: number;
}

/**
 * Groups delta rounds, paged like Graph: at most `pageSize` objects and `membersPerPage` member entries a
 * page, so a large group spans several pages and repeats on each (with its properties every time) with the
 * next slice of its `members@delta`. Tokens are opaque, as for users.
 */
export class GroupDeltaRounds {
  private readonly tokens = new DeltaTokens<PageCursor, UserSelection>();

  constructor(
    private readonly tracker: GroupTracker,
    private readonly paging: GroupDeltaPaging,
  ) {}

  reset(): void {
    this.tokens.reset();
  }

  expireIssuedTokens(kind: DeltaExpiryKind): void {
    this.tokens.expireIssued(kind);
  }

  /** `$deltatoken=latest`: a deltaLink from now, with no data. */
  latest(selection: UserSelection): string {
    return this.tokens.issueDeltaToken({ startSeq: this.tracker.sequence, selection });
  }

  page(request: DeltaRequest): DeltaPage {
    const found = this.tokens.cursorFor(request, (since, selection) => this.startRound(since, selection));
    return found.kind === 'cursor' ? this.render(found.cursor) : found;
  }

  private startRound(since: number | null, selection: UserSelection): PageCursor {
    const withMembers = selection.properties.includes('members');
    const groups = this.tracker
      .idsForRound(since, selection.properties)
      .map((id) => ({ id, members: withMembers ? this.tracker.memberEntries(id, since) : [] }));
    return { round: { groups, selection, startSeq: this.tracker.sequence }, index: 0, memberOffset: 0 };
  }

  private render({ round, index, memberOffset }: PageCursor): DeltaPage {
    const value: Record<string, unknown>[] = [];
    let budget = this.paging.membersPerPage;
    while (index < round.groups.length && value.length < this.paging.pageSize) {
      const group = round.groups[index]!;
      // Current state, not the state at round start: a group removed meanwhile shows as removed.
      const removal = this.tracker.removal(group.id);
      const properties = this.tracker.properties(group.id);
      if (removal || !properties) {
        value.push({ id: group.id, '@removed': { reason: removal?.reason ?? 'deleted' } });
        index += 1;
        memberOffset = 0;
        continue;
      }
      const remaining = group.members.length - memberOffset;
      if (remaining > 0 && budget === 0) break;
      const slice = group.members.slice(memberOffset, memberOffset + Math.min(remaining, budget));
      const item = projectProperties(
        properties,
        round.selection.properties.filter((p) => p !== 'members'),
      );
      if (slice.length > 0) item['members@delta'] = slice.map(memberDeltaEntry);
      value.push(item);
      budget -= slice.length;
      memberOffset += slice.length;
      if (memberOffset === group.members.length) {
        index += 1;
        memberOffset = 0;
      }
    }
    if (index < round.groups.length) {
      const skipToken = this.tokens.issueSkipToken({ round, index, memberOffset });
      return { kind: 'page', selection: round.selection, value, skipToken };
    }
    const deltaToken = this.tokens.issueDeltaToken({ startSeq: round.startSeq, selection: round.selection });
    return { kind: 'page', selection: round.selection, value, deltaToken };
  }
}

/** Graph's shape: only the id and type; a member that left carries `@removed` (and its type when known). */
function memberDeltaEntry(entry: GroupMemberEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (entry.type !== undefined) out['@odata.type'] = entry.type;
  out.id = entry.id;
  if (entry.removed) out['@removed'] = { reason: 'deleted' };
  return out;
}
