import { type LinkEventLog } from './LinkEventLog';
import { type LinkStore, type LinkWrite, type LinkWriteResult, type UserLink } from './LinkStore';

interface KnownLink {
  active: boolean;
  pbxId?: string | undefined;
  extension: string;
}

/**
 * A LinkStore that reports what each confirmed write did to a link (linked, unlinked, number changed) to a
 * run's LinkEventLog. It sits in the engine, not in the feature, so every write path reports and none can
 * forget to. It compares with the versions it has seen (a run reads its links before writing them); a write
 * to a link it never saw is reported as a change, which at worst asks a reacting feature for one needless run.
 */
export class LinkEventingLinkStore implements LinkStore {
  private readonly known = new Map<string, KnownLink>();

  constructor(
    private readonly inner: LinkStore,
    private readonly log: LinkEventLog,
  ) {}

  async listByTenant(tenantId: string): Promise<UserLink[]> {
    const links = await this.inner.listByTenant(tenantId);
    for (const link of links) this.remember(link);
    return links;
  }

  async get(tenantId: string, objectId: string): Promise<UserLink | null> {
    const link = await this.inner.get(tenantId, objectId);
    if (link) this.remember(link);
    return link;
  }

  async create(link: UserLink): Promise<UserLink> {
    const stored = await this.inner.create(link);
    this.written(stored);
    return stored;
  }

  async update(link: UserLink): Promise<UserLink> {
    const stored = await this.inner.update(link);
    this.written(stored);
    return stored;
  }

  async delete(tenantId: string, objectId: string, etag?: string): Promise<void> {
    await this.inner.delete(tenantId, objectId, etag);
    const before = this.known.get(objectId);
    this.known.delete(objectId);
    if (before && !before.active) return; // a reservation whose create never completed: nothing was linked
    this.log.add({ kind: 'unlinked', feature: this.log.feature, sourceId: objectId, pbxId: before?.pbxId, extension: before?.extension });
  }

  async writeMany(tenantId: string, writes: readonly LinkWrite[]): Promise<LinkWriteResult[]> {
    const results = await this.inner.writeMany(tenantId, writes);
    for (const result of results) if (result.ok) this.written(result.link);
    return results;
  }

  async deleteAllForTenant(tenantId: string): Promise<void> {
    // The tenant is being removed: nobody is left to react.
    await this.inner.deleteAllForTenant(tenantId);
    this.known.clear();
  }

  private remember(link: UserLink): void {
    this.known.set(link.objectId, { active: isActive(link), pbxId: link.pbxUserId, extension: link.extensionNumber });
  }

  private written(link: UserLink): void {
    const before = this.known.get(link.objectId);
    this.remember(link);
    if (!isActive(link)) return;
    const base = { feature: this.log.feature, sourceId: link.objectId, pbxId: link.pbxUserId!, extension: link.extensionNumber };
    if (!before?.active) this.log.add({ kind: 'linked', ...base });
    else if (before.extension !== link.extensionNumber)
      this.log.add({ kind: 'numberChanged', ...base, previousExtension: before.extension });
  }
}

function isActive(link: UserLink): boolean {
  return link.state === 'active' && !!link.pbxUserId;
}
