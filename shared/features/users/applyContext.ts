import { AppError } from '../../core/errors/AppError';
import { type LinkStore, type LinkWrite, type UserLink } from '../../engine/LinkStore';
import { type NumberQuarantineStore } from '../../engine/NumberQuarantineStore';
import { type PendingUserStore } from '../../engine/PendingUserStore';
import { type RunCounts } from '../../engine/RunStore';
import { type PbxClient, type PbxNewUser, type PbxUserFields } from '../../pbx/ports/PbxClient';
import { type UserAction } from './UserPlan';
import { fieldsHash } from './fieldsHash';
import { linkWrite } from './linkConflict';

export interface ApplyDeps {
  tenantId: string;
  pbx: PbxClient;
  links: LinkStore;
  pendingUsers: PendingUserStore;
  /** The run's in-memory view of the links (with their etags); kept in step with every write. */
  linkCache: Map<string, UserLink>;
  concurrency: number;
  /** Users in the pending (retry) set at the start of the run; a success clears their entry. */
  pendingIds: Set<string>;
  /** Where a delete puts the number it frees, and for how many days (absent or 0: no quarantine). */
  quarantine?: { store: NumberQuarantineStore; days: number } | undefined;
  /** Another free number for fromStart numbering when the PBX says ours is taken. */
  nextFreeNumber?: (() => string) | undefined;
  now?: (() => Date) | undefined;
  /**
   * Pipelined pages (runUserSync): this plan's PBX writes wait for `pbxTurn` (the previous page's have all
   * started), and `onPbxWritesStarted` is called once this plan's have all started, or never will.
   */
  pbxTurn?: Promise<void> | undefined;
  onPbxWritesStarted?: (() => void) | undefined;
}

/**
 * What an action's PBX writes leave for the later phases: its final link write (batched with the page's
 * others) and what it counts as once that is done.
 */
export interface StepResult {
  final?: LinkWrite;
  count: keyof RunCounts;
}

/** One action on its way through the phases of applyUserPlan. */
export interface Step extends Partial<StepResult> {
  action: Exclude<UserAction, { kind: 'skip' }>;
  failure?: unknown;
}

export function timestamp(deps: ApplyDeps): string {
  return (deps.now ?? (() => new Date()))().toISOString();
}

export function linkOf(deps: ApplyDeps, objectId: string): UserLink {
  const link = deps.linkCache.get(objectId);
  if (!link) throw new AppError('INTERNAL', `no link in the run's cache for ${objectId}`);
  return link;
}

/** The write-ahead link of a create: it reserves the number before the PBX may create under it. */
export function creatingLink(deps: ApplyDeps, objectId: string, user: PbxNewUser, etag?: string): UserLink {
  return {
    tenantId: deps.tenantId,
    objectId,
    state: 'creating',
    origin: 'created',
    pbxUserName: user.userName,
    extensionNumber: user.extensionNumber,
    boundToMicrosoft365: false,
    updatedAt: timestamp(deps),
    etag,
  };
}

/** Forgets a link, conditional on the version this run knows (another writer's change wins). */
export async function dropLink(deps: ApplyDeps, objectId: string): Promise<void> {
  await linkWrite(() => deps.links.delete(deps.tenantId, objectId, deps.linkCache.get(objectId)?.etag));
  deps.linkCache.delete(objectId);
}

export function syncedFields(fields: PbxUserFields): Pick<UserLink, 'fields' | 'hash'> {
  return { fields, hash: fieldsHash(fields) };
}

export function fieldsOf(user: PbxNewUser): PbxUserFields {
  const { displayName, email, mobilePhone, workPhone, department, enabled, outboundCallerId, givenName, surname } = user;
  return {
    displayName,
    email,
    mobilePhone,
    workPhone,
    department,
    enabled,
    outboundCallerId: outboundCallerId ?? null,
    ...(givenName === undefined ? {} : { givenName }),
    ...(surname === undefined ? {} : { surname }),
  };
}
