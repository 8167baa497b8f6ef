import { randomBytes } from 'node:crypto';
import { BoundedMap } from './BoundedMap';
import { type GroupTracker } from './GroupTracker';

interface MemberCursor {
  groupId: string;
  listing: GroupListing;
  ids: string[];
  offset: number;
  top: number;
}

/**
 * `members` / `transitiveMembers`: user ids (the user cast); `transitiveMemberOf`: ancestor group ids (the
 * group cast); `userTransitiveMemberOf`: the groups a user is in, directly or through nested groups (the
 * listing is then of a user: `groupId` names the user).
 */
export type GroupListing = 'members' | 'transitiveMembers' | 'transitiveMemberOf' | 'userTransitiveMemberOf';

export interface MemberPageRequest {
  groupId: string;
  listing: GroupListing;
  skipToken: string | null;
  top: number;
}

export type MemberPage = { kind: 'page'; ids: string[]; top: number; skipToken?: string } | { kind: 'noGroup' } | { kind: 'unknownToken' };

/** Paged listings of the live groups' members and ancestors behind opaque skip tokens. */
export class GroupDirectory {
  private readonly cursors = new BoundedMap<string, MemberCursor>(10_000);

  constructor(
    private readonly groups: GroupTracker,
    private readonly isLiveUser: (id: string) => boolean,
  ) {}

  reset(): void {
    this.cursors.clear();
  }

  page(request: MemberPageRequest): MemberPage {
    const live = request.listing === 'userTransitiveMemberOf' ? this.isLiveUser(request.groupId) : this.groups.isLive(request.groupId);
    if (!live) return { kind: 'noGroup' };
    let cursor: MemberCursor;
    if (request.skipToken) {
      const found = this.cursors.get(request.skipToken);
      if (!found || found.groupId !== request.groupId || found.listing !== request.listing) return { kind: 'unknownToken' };
      cursor = found;
    } else {
      // Resolved once per listing, so each following page costs O(page).
      cursor = { groupId: request.groupId, listing: request.listing, ids: this.resolve(request), offset: 0, top: request.top };
    }
    const end = Math.min(cursor.offset + cursor.top, cursor.ids.length);
    const ids = cursor.ids.slice(cursor.offset, end);
    if (end === cursor.ids.length) return { kind: 'page', ids, top: cursor.top };
    const skipToken = randomBytes(18).toString('base64url');
    this.cursors.set(skipToken, { ...cursor, offset: end });
    return { kind: 'page', ids, top: cursor.top, skipToken };
  }

  private resolve({ groupId, listing }: MemberPageRequest): string[] {
    // The tracker indexes every member's parents, users' as well as groups'.
    if (listing === 'transitiveMemberOf' || listing === 'userTransitiveMemberOf') return this.groups.ancestorIds(groupId);
    return this.groups.memberUserIds(groupId, listing === 'transitiveMembers');
  }
}
