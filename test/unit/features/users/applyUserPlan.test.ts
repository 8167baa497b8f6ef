import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/core/errors/AppError';
import { type LinkStore, type LinkWrite, type LinkWriteResult, type UserLink } from '../../../../shared/engine/LinkStore';
import { type PendingUserStore } from '../../../../shared/engine/PendingUserStore';
import { type PbxClient, type PbxNewUser, type PbxNumberOwner } from '../../../../shared/pbx/ports/PbxClient';
import { type ApplyDeps, applyUserPlan } from '../../../../shared/features/users/applyUserPlan';
import { type CreateAction, type UserAction } from '../../../../shared/features/users/UserPlan';
import { fieldsHash } from '../../../../shared/features/users/fieldsHash';

const TENANT = 't';

/** Links in memory under the same conditions as the table store (create-if-absent, ETag), every call logged. */
class MemoryLinks implements LinkStore {
  readonly rows = new Map<string, UserLink>();
  private version = 0;
  /** When set, writeMany answers every write with this error (an outage). */
  outage?: AppError;

  constructor(private readonly log: string[]) {}

  /** Another writer's change, outside the applier under test. */
  writeBehindTheBack(link: UserLink): UserLink {
    return this.store(link);
  }

  listByTenant(): Promise<UserLink[]> {
    return Promise.resolve([...this.rows.values()]);
  }
  get(_tenantId: string, objectId: string): Promise<UserLink | null> {
    return Promise.resolve(this.rows.get(objectId) ?? null);
  }
  create(link: UserLink): Promise<UserLink> {
    this.log.push(`link create ${link.objectId}`);
    return this.apply({ kind: 'create', link });
  }
  update(link: UserLink): Promise<UserLink> {
    this.log.push(`link update ${link.objectId}`);
    return this.apply({ kind: 'update', link });
  }
  delete(_tenantId: string, objectId: string, etag?: string): Promise<void> {
    this.log.push(`link delete ${objectId}`);
    const row = this.rows.get(objectId);
    if (row && etag && row.etag !== etag) return Promise.reject(new AppError('PRECONDITION_FAILED', 'changed'));
    this.rows.delete(objectId);
    return Promise.resolve();
  }
  async writeMany(_tenantId: string, writes: readonly LinkWrite[]): Promise<LinkWriteResult[]> {
    this.log.push(`links ${writes.map((w) => `${w.kind} ${w.link.objectId}`).join(', ')}`);
    const results: LinkWriteResult[] = [];
    for (const write of writes) {
      if (this.outage) results.push({ ok: false, error: this.outage });
      else
        results.push(
          await this.apply(write).then(
            (link) => ({ ok: true as const, link }),
            (error: AppError) => ({ ok: false as const, error }),
          ),
        );
    }
    return results;
  }
  deleteAllForTenant(): Promise<void> {
    this.rows.clear();
    return Promise.resolve();
  }

  private apply({ kind, link }: LinkWrite): Promise<UserLink> {
    const row = this.rows.get(link.objectId);
    if (kind === 'create' && row) return Promise.reject(new AppError('CONFLICT', 'exists'));
    if (kind === 'update' && (!row || row.etag !== link.etag)) return Promise.reject(new AppError('PRECONDITION_FAILED', 'changed'));
    return Promise.resolve(this.store(link));
  }
  private store(link: UserLink): UserLink {
    const stored = { ...link, etag: `v${++this.version}` };
    this.rows.set(link.objectId, stored);
    return stored;
  }
}

/** A PBX that holds users in memory and logs every call; `onBind` lets a test act in the middle of a create. */
class MemoryPbx implements PbxClient {
  readonly users = new Map<string, PbxNewUser & { id: string; boundTo?: string }>();
  onBind?: (objectId: string) => void;

  constructor(private readonly log: string[]) {}

  async *listUsers() {}
  listNonUserNumbers(): Promise<string[]> {
    return Promise.resolve([]);
  }
  findNumberOwner(extensionNumber: string): Promise<PbxNumberOwner | null> {
    this.log.push(`pbx find ${extensionNumber}`);
    const user = [...this.users.values()].find((u) => u.extensionNumber === extensionNumber);
    return Promise.resolve(user ? { id: user.id, extensionNumber, name: user.userName, type: 'EXTENSION' } : null);
  }
  getUser(): Promise<null> {
    return Promise.resolve(null);
  }
  createUser(user: PbxNewUser): Promise<{ id: string }> {
    this.log.push(`pbx create ${user.userName}`);
    const id = `pbx-${this.users.size + 1}`;
    this.users.set(id, { ...user, id });
    return Promise.resolve({ id });
  }
  updateUser(id: string): Promise<void> {
    this.log.push(`pbx update ${id}`);
    return Promise.resolve();
  }
  deleteUser(id: string): Promise<void> {
    this.users.delete(id);
    return Promise.resolve();
  }
  bindMicrosoft365(id: string, objectId: string): Promise<void> {
    this.log.push(`pbx bind ${id}`);
    this.users.get(id)!.boundTo = objectId;
    this.onBind?.(objectId);
    return Promise.resolve();
  }
  requestCount(): number {
    return 0;
  }
}

class MemoryPending implements PendingUserStore {
  readonly recorded = new Map<string, string>();
  list() {
    return Promise.resolve([]);
  }
  record(_tenantId: string, objectId: string, code: string): Promise<void> {
    this.recorded.set(objectId, code);
    return Promise.resolve();
  }
  remove(_tenantId: string, objectId: string): Promise<void> {
    this.recorded.delete(objectId);
    return Promise.resolve();
  }
}

const fields = { displayName: 'Ann Lee', email: 'ann@contoso.com', mobilePhone: '', workPhone: '', department: 'Sales', enabled: true };
const create = (n: number): CreateAction => ({
  kind: 'create',
  objectId: `user-${n}`,
  user: { ...fields, userName: `ann${n}`, extensionNumber: `10${n}` },
  resume: false,
  renumberable: false,
});

function rig() {
  const log: string[] = [];
  const links = new MemoryLinks(log);
  const pbx = new MemoryPbx(log);
  const pendingUsers = new MemoryPending();
  const deps: ApplyDeps = {
    tenantId: TENANT,
    pbx,
    links,
    pendingUsers,
    linkCache: new Map(),
    concurrency: 4,
    pendingIds: new Set(),
    now: () => new Date('2026-06-01T00:00:00Z'),
  };
  const apply = (actions: UserAction[]) => applyUserPlan(actions, deps);
  return { log, links, pbx, pendingUsers, deps, apply };
}

describe('applyUserPlan', () => {
  it("stores the new users' creating links in one batch before the first PBX create, and the final links in one batch after", async () => {
    const { log, links, pbx, apply } = rig();
    const outcome = await apply([create(1), create(2), create(3)]);
    expect(outcome.counts).toEqual({ created: 3 });
    expect(log[0]).toBe('links create user-1, create user-2, create user-3');
    expect(log.at(-1)).toBe('links update user-1, update user-2, update user-3');
    expect(log.slice(1, -1).every((line) => line.startsWith('pbx '))).toBe(true);
    for (const n of [1, 2, 3]) {
      const link = links.rows.get(`user-${n}`)!;
      expect(link).toMatchObject({ state: 'active', pbxUserName: `ann${n}`, extensionNumber: `10${n}`, hash: fieldsHash(fields) });
      expect(pbx.users.get(link.pbxUserId!)?.boundTo).toBe(`user-${n}`);
    }
  });

  it('a user whose link another writer created first is not created on the PBX: linkConflict, pending, link re-read', async () => {
    const { log, links, pbx, pendingUsers, deps, apply } = rig();
    const theirs = links.writeBehindTheBack({
      tenantId: TENANT,
      objectId: 'user-2',
      state: 'creating',
      origin: 'created',
      pbxUserName: 'someone',
      extensionNumber: '999',
      boundToMicrosoft365: false,
      updatedAt: '2026-06-01T00:00:00Z',
    });
    const outcome = await apply([create(1), create(2), create(3)]);
    expect(outcome.counts).toEqual({ created: 2, failed: 1 });
    expect(outcome.retryableError).toBeUndefined();
    expect(outcome.issues).toEqual([expect.objectContaining({ objectId: 'user-2', action: 'create', code: 'linkConflict' })]);
    expect(log).not.toContain('pbx create ann2');
    expect([...pbx.users.values()].map((u) => u.userName).sort()).toEqual(['ann1', 'ann3']);
    expect(links.rows.get('user-2')).toEqual(theirs);
    expect(deps.linkCache.get('user-2')).toEqual(theirs);
    expect(pendingUsers.recorded.get('user-2')).toBe('linkConflict');
    expect(deps.pendingIds.has('user-2')).toBe(true);
  });

  it('a final link write refused by its ETag fails the item with linkConflict once, leaving the other writer’s link alone', async () => {
    const { log, links, pbx, pendingUsers, deps, apply } = rig();
    let theirs: UserLink | undefined;
    pbx.onBind = (objectId) => {
      if (objectId === 'user-1')
        theirs = links.writeBehindTheBack({ ...links.rows.get(objectId)!, updatedAt: 'touched by another writer' });
    };
    const outcome = await apply([create(1), create(2)]);
    expect(outcome.counts).toEqual({ created: 1, failed: 1 });
    expect(outcome.issues).toEqual([expect.objectContaining({ objectId: 'user-1', code: 'linkConflict' })]);
    expect(links.rows.get('user-1')).toEqual(theirs);
    expect(links.rows.get('user-2')?.state).toBe('active');
    expect(log.filter((line) => line.startsWith('link'))).toHaveLength(2); // no retry loop on the refused write
    expect(deps.linkCache.get('user-1')).toEqual(theirs);
    expect(pendingUsers.recorded.get('user-1')).toBe('linkConflict');
  });

  it('an update of a linked user is written on the ETag it was read with; a changed link is not clobbered', async () => {
    const { links, deps, apply } = rig();
    const read = links.writeBehindTheBack({
      tenantId: TENANT,
      objectId: 'user-1',
      state: 'active',
      origin: 'created',
      pbxUserId: 'pbx-1',
      pbxUserName: 'ann1',
      extensionNumber: '101',
      fields,
      hash: fieldsHash(fields),
      boundToMicrosoft365: true,
      updatedAt: '2026-01-01T00:00:00Z',
    });
    deps.linkCache.set('user-1', read);
    const renamed = { ...fields, displayName: 'Ann Renamed' };
    const update: UserAction = {
      kind: 'update',
      objectId: 'user-1',
      pbxUserId: 'pbx-1',
      changes: { displayName: 'Ann Renamed' },
      fields: renamed,
    };
    expect((await apply([update])).counts).toEqual({ updated: 1 });
    expect(links.rows.get('user-1')).toMatchObject({ fields: renamed, hash: fieldsHash(renamed) });

    const theirs = links.writeBehindTheBack({ ...links.rows.get('user-1')!, hash: 'theirs' });
    const again = await apply([{ ...update, fields: fields, changes: { displayName: fields.displayName } }]);
    expect(again.counts).toEqual({ failed: 1 });
    expect(again.issues[0]?.code).toBe('linkConflict');
    expect(links.rows.get('user-1')).toEqual(theirs);
  });

  it('a link store outage before the creates creates nothing and keeps the checkpoint (retryable)', async () => {
    const { log, links, pendingUsers, apply } = rig();
    links.outage = new AppError('TRANSIENT', 'Table Storage is unavailable');
    const outcome = await apply([create(1), create(2)]);
    expect(outcome.retryableError?.message).toMatch(/unavailable/);
    expect(outcome.counts).toEqual({});
    expect(log.some((line) => line.startsWith('pbx create'))).toBe(false);
    expect(pendingUsers.recorded.size).toBe(0);
  });

  it('resumes a create whose link is still creating without a second write-ahead, finding the extension by its number', async () => {
    const { log, links, pbx, deps, apply } = rig();
    await pbx.createUser({ ...fields, userName: 'ann1', extensionNumber: '101' }); // the crashed run's create went through
    const reserved = links.writeBehindTheBack({
      tenantId: TENANT,
      objectId: 'user-1',
      state: 'creating',
      origin: 'created',
      pbxUserName: 'ann1',
      extensionNumber: '101',
      boundToMicrosoft365: false,
      updatedAt: '2026-01-01T00:00:00Z',
    });
    deps.linkCache.set('user-1', reserved);
    log.length = 0;
    const outcome = await apply([{ ...create(1), resume: true }]);
    expect(outcome.counts).toEqual({ updated: 1 });
    expect(log).toEqual(['pbx find 101', 'pbx update pbx-1', 'pbx bind pbx-1', 'links update user-1']);
    expect(pbx.users.size).toBe(1);
    expect(links.rows.get('user-1')).toMatchObject({ state: 'active', pbxUserId: 'pbx-1' });
  });
});
