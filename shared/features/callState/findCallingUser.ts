import { type LinkedUser } from '../../engine/LinkedUsers';
import { type FeatureContext } from '../Feature';

/** How long a process trusts its index of a tenant's synced extensions. */
const INDEX_TTL_MS = 5 * 60_000;
/** A miss rebuilds the index (a user synced since), but not more often than this. */
const MISS_REBUILD_MS = 10_000;

type Index = { builtAt: number; byPbxId: Map<string, LinkedUser>; byNumber: Map<string, LinkedUser> };
const indexes = new Map<string, Index>();

/**
 * The synced user behind a PBX call event. Events name the extension (its PBX user id or number), the links are
 * keyed by Entra object id: each process keeps an index of a tenant's links, rebuilt every few minutes and on a
 * miss, so a call event costs no scan of the links table.
 */
export async function findCallingUser(
  context: Pick<FeatureContext<unknown>, 'tenantId' | 'linkedUsers'>,
  who: { pbxUserId?: string | undefined; extensionNumber?: string | undefined },
  now: number = Date.now(),
): Promise<LinkedUser | undefined> {
  const lookup = (index: Index) =>
    (who.pbxUserId ? index.byPbxId.get(who.pbxUserId) : undefined) ??
    (who.extensionNumber ? index.byNumber.get(who.extensionNumber) : undefined);
  let index = indexes.get(context.tenantId);
  if (!index || now - index.builtAt > INDEX_TTL_MS) index = await rebuild(context, now);
  const found = lookup(index);
  if (found || now - index.builtAt < MISS_REBUILD_MS) return found;
  return lookup(await rebuild(context, now));
}

async function rebuild(context: Pick<FeatureContext<unknown>, 'tenantId' | 'linkedUsers'>, now: number): Promise<Index> {
  const users = await context.linkedUsers.list();
  const index: Index = {
    builtAt: now,
    byPbxId: new Map(users.map((u) => [u.pbxUserId, u])),
    byNumber: new Map(users.map((u) => [u.extensionNumber, u])),
  };
  indexes.set(context.tenantId, index);
  return index;
}
