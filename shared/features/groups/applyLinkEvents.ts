import { type GroupLink } from '../../engine/GroupLinkStore';
import { type GroupMembership } from '../../engine/GroupMembershipStore';
import { type FeatureContext } from '../Feature';
import { type GroupSyncOptions } from './groupsOptions';

/** Events read from the inbox at a time. */
const INBOX_BATCH = 500;

export interface LinkEventTarget {
  /** The run's group links by Entra group id. */
  linksByGroup: ReadonlyMap<string, GroupLink>;
  addMember(link: GroupLink, extension: string): Promise<void>;
  removeMember(link: GroupLink, extension: string): Promise<void>;
  /** A group whose members changed (its membership fingerprint no longer holds). */
  touched(link: GroupLink): Promise<void>;
}

/**
 * Applies the users feature's link events from the groups inbox, oldest first: a user synced (linked) is
 * added to the synced groups they are a member of, a renumbered one moves to the new number, an unsynced one
 * leaves. Memberships are stored for users who are not synced too, so no Graph read is needed. Events are
 * removed from the inbox only after they were applied; a replay finds nothing left to change.
 */
export async function applyLinkEvents(context: FeatureContext<GroupSyncOptions>, target: LinkEventTarget): Promise<void> {
  const { linkEventInbox, groupMembers, tenantId } = context;
  for (;;) {
    const batch = await linkEventInbox.list(INBOX_BATCH);
    if (batch.length === 0) return;
    const touched = new Map<string, GroupLink>();
    for (const { event } of batch) {
      if (event.feature !== 'users') continue;
      const extension = event.kind === 'unlinked' ? '' : event.extension;
      const moved: GroupMembership[] = [];
      for (const membership of await groupMembers.listByUser(tenantId, event.sourceId.toLowerCase())) {
        const link = target.linksByGroup.get(membership.groupId);
        if (!link || link.state !== 'active' || membership.extension === extension) continue;
        if (membership.extension) await target.removeMember(link, membership.extension);
        if (extension) await target.addMember(link, extension);
        moved.push({ ...membership, extension });
        touched.set(link.groupId, link);
      }
      if (moved.length > 0) await groupMembers.putMany(tenantId, moved);
    }
    for (const link of touched.values()) await target.touched(link);
    await linkEventInbox.remove(batch.map((entry) => entry.id));
    if (batch.length < INBOX_BATCH) return;
  }
}
