import { randomBytes } from 'node:crypto';
import { BoundedMap } from './BoundedMap';
import { groupMemberUserIds } from './groupMemberUserIds';
import { SandboxNotFoundError } from './sandboxErrors';
import { type SandboxGroup } from './SandboxUser';

interface MemberCursor {
  groupId: string;
  ids: string[];
  offset: number;
  top: number;
}

export interface MemberPageRequest {
  groupId: string;
  transitive: boolean;
  skipToken: string | null;
  top: number;
}

export type MemberPage = { kind: 'page'; ids: string[]; top: number; skipToken?: string } | { kind: 'noGroup' } | { kind: 'unknownToken' };

/** The tenant's groups and paged (transitive) member listings behind opaque skip tokens. */
export class GroupDirectory {
  private readonly groups = new Map<string, SandboxGroup>();
  private readonly cursors = new BoundedMap<string, MemberCursor>(10_000);

  constructor(private readonly isLiveUser: (id: string) => boolean) {}

  reset(groups: SandboxGroup[]): void {
    this.groups.clear();
    this.cursors.clear();
    for (const g of groups) this.add(g);
  }

  add(group: SandboxGroup): void {
    this.groups.set(group.id, { ...group, memberIds: [...group.memberIds] });
  }

  setMembers(groupId: string, memberIds: string[]): void {
    const group = this.groups.get(groupId);
    if (!group) throw new SandboxNotFoundError(`no group ${groupId}`);
    group.memberIds = [...memberIds];
  }

  page(request: MemberPageRequest): MemberPage {
    if (!this.groups.has(request.groupId)) return { kind: 'noGroup' };
    let cursor: MemberCursor;
    if (request.skipToken) {
      const found = this.cursors.get(request.skipToken);
      if (!found || found.groupId !== request.groupId) return { kind: 'unknownToken' };
      cursor = found;
    } else {
      // Resolved once per listing, so each following page costs O(page).
      cursor = {
        groupId: request.groupId,
        ids: groupMemberUserIds(this.groups, request.groupId, request.transitive, this.isLiveUser),
        offset: 0,
        top: request.top,
      };
    }
    const end = Math.min(cursor.offset + cursor.top, cursor.ids.length);
    const ids = cursor.ids.slice(cursor.offset, end);
    if (end === cursor.ids.length) return { kind: 'page', ids, top: cursor.top };
    const skipToken = randomBytes(18).toString('base64url');
    this.cursors.set(skipToken, { ...cursor, offset: end });
    return { kind: 'page', ids, top: cursor.top, skipToken };
  }
}
