import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { AppError } from '../core/errors/AppError';
import { type DeltaStart, type DirectoryReader, type GroupsDeltaStart } from './DirectoryReader';
import { GROUP_SELECT, type GraphGroup, type GroupsDeltaPage } from './GraphGroup';
import { type GraphUser, GraphUserSchema, USER_SELECT, type UsersDeltaPage } from './GraphUser';
import { GraphLinks } from './GraphLinks';
import { graphErrorFor } from './graphErrorFor';
import { GraphGroupSchema, graphGroupOf, parseGroupsDeltaPage } from './parseGroupsDeltaPage';
import { parseUsersDeltaPage } from './parseUsersDeltaPage';

// accountEnabled, userType, department, employeeId and onPremisesExtensionAttributes are not in Graph's
// default user set, so every property is named (and $select also decides which changes delta reports).
const SELECT = `$select=${USER_SELECT.join(',')}`;

const GROUP_READ_SELECT = `$select=${GROUP_SELECT.join(',')}`;
// `members` in a groups delta $select turns on `members@delta` (who joined or left since the token).
const GROUP_DELTA_SELECT = `$select=${[...GROUP_SELECT, 'members'].join(',')}`;

const MembersPageSchema = z.object({
  value: z.array(z.object({ id: z.string().min(1) }).passthrough()),
  '@odata.nextLink': z.string().url().optional(),
});

/** A page of `GET /directory/deletedItems/microsoft.graph.user` (only `id` and `deletedDateTime` selected). */
const DeletedUsersPageSchema = z.object({
  value: z.array(z.object({ id: z.string().min(1), deletedDateTime: z.string().nullable().optional() }).passthrough()),
  '@odata.nextLink': z.string().url().optional(),
});

/** `GET /directory/deletedItems/{id}`: a directoryObject; only its id is read. */
const DeletedItemSchema = z.object({ id: z.string().min(1) }).passthrough();

/**
 * `GET /users/$count` answers text/plain: the number alone (the client hands it over as text). A UTF-8 byte
 * order mark or a line break around it is tolerated.
 */
const UserCountSchema = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .transform((text) => text.replace(/^\uFEFF/, '').trim())
    .pipe(z.string().regex(/^\d{1,12}$/, 'is not a count'))
    .transform(Number),
]);

/**
 * The DirectoryReader adapter over Microsoft Graph for one tenant. Retries of 429/503/504 happen in the
 * client's middleware (createGraphClient); what reaches here is final for the call.
 */
export class GraphDirectoryReader implements DirectoryReader {
  private readonly links: GraphLinks;

  /** `versionRoot` and `requestCount` come from the GraphConnection the client belongs to. */
  constructor(
    private readonly client: Client,
    private readonly versionRoot: string,
    private readonly counter: () => number,
  ) {
    this.links = new GraphLinks(versionRoot);
  }

  requestCount(): number {
    return this.counter();
  }

  /** `eventual` sends `ConsistencyLevel: eventual`, which advanced queries need (see listIdPages). */
  private async get(path: string, what: string, consistency: 'strong' | 'eventual' = 'strong'): Promise<unknown> {
    try {
      const request = this.client.api(path);
      return await (consistency === 'eventual' ? request.header('ConsistencyLevel', 'eventual') : request).get();
    } catch (err) {
      throw graphErrorFor(err, what);
    }
  }

  /** A GET whose 404 means "not there (any more)": `{ found: false }` instead of NOT_FOUND. */
  private async getIfFound(path: string, what: string): Promise<{ found: true; body: unknown } | { found: false }> {
    try {
      return { found: true, body: await this.get(path, what) };
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return { found: false };
      throw err;
    }
  }

  /** Fetches one page at a time, only when the caller asks for it, so memory stays flat for any tenant size. */
  usersDelta(start: DeltaStart): AsyncIterable<UsersDeltaPage> {
    return this.links.deltaRound(start, `/users/delta?${SELECT}`, async (path) =>
      parseUsersDeltaPage(await this.get(path, 'reading the users delta')),
    );
  }

  /** Like usersDelta; a large group comes back on several pages, each with another slice of its members. */
  groupsDelta(start: GroupsDeltaStart): AsyncIterable<GroupsDeltaPage> {
    const first = `/groups/delta?${GROUP_DELTA_SELECT}`;
    // `latest`: a deltaLink from now and no data (Graph's "sync from now" for directory objects).
    const from: DeltaStart = start.kind === 'latest' ? { kind: 'link', url: `${this.versionRoot}${first}&$deltatoken=latest` } : start;
    return this.links.deltaRound(from, first, async (path) => parseGroupsDeltaPage(await this.get(path, 'reading the groups delta')));
  }

  /**
   * Transitive members come from an OData cast on a transitive list, an advanced query; direct members
   * need none (see listIdPages).
   */
  listGroupMemberUserIds(groupId: string, membership: 'direct' | 'transitive' = 'transitive'): Promise<string[]> {
    const group = `/groups/${encodeURIComponent(groupId)}`;
    const what = `reading the ${membership} members of group ${groupId}`;
    return membership === 'direct'
      ? this.listIdPages(`${group}/members/microsoft.graph.user?$select=id&$top=999`, what, 'strong')
      : this.listIdPages(`${group}/transitiveMembers/microsoft.graph.user?$count=true&$select=id&$top=999`, what, 'eventual');
  }

  listUserGroupIds(userId: string): Promise<string[]> {
    return this.listIdPages(
      `/users/${encodeURIComponent(userId)}/transitiveMemberOf/microsoft.graph.group?$count=true&$select=id&$top=999`,
      `reading the groups of user ${userId}`,
      'eventual',
    );
  }

  listGroupAncestorIds(groupId: string): Promise<string[]> {
    return this.listIdPages(
      `/groups/${encodeURIComponent(groupId)}/transitiveMemberOf/microsoft.graph.group?$count=true&$select=id&$top=999`,
      `reading the groups that group ${groupId} is nested in`,
      'eventual',
    );
  }

  /**
   * The ids of a paged object list. An OData cast on a transitive list is an advanced query: Graph's
   * documentation requires `ConsistencyLevel: eventual` and `$count=true` (a strict tenant answers 400
   * Request_UnsupportedQuery without them). The header goes with every page; `$count=true` is in the first
   * URL and Graph keeps it in its nextLinks. The answer comes from the index, which can lag a recent change.
   */
  private async listIdPages(firstPath: string, what: string, consistency: 'strong' | 'eventual'): Promise<string[]> {
    const ids: string[] = [];
    let path: string | undefined = firstPath;
    while (path) {
      const parsed = MembersPageSchema.safeParse(await this.get(path, what, consistency));
      if (!parsed.success)
        throw new AppError('INTERNAL', `${what}: unexpected page from Graph: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      for (const member of parsed.data.value) ids.push(member.id);
      const next = parsed.data['@odata.nextLink'];
      path = next ? this.links.followedPath(next, 'nextLink') : undefined;
    }
    return ids;
  }

  /** A count is an advanced query: Graph answers 400 without `ConsistencyLevel: eventual`. */
  async countUsers(): Promise<number> {
    const parsed = UserCountSchema.safeParse(await this.get('/users/$count', 'counting the users', 'eventual'));
    if (!parsed.success)
      throw new AppError('INTERNAL', `unexpected user count from Graph: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  }

  async listDeletedUserIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    let path: string | undefined = '/directory/deletedItems/microsoft.graph.user?$select=id,deletedDateTime&$top=999';
    while (path) {
      const parsed = DeletedUsersPageSchema.safeParse(await this.get(path, 'reading the deleted users'));
      if (!parsed.success)
        throw new AppError('INTERNAL', `unexpected deleted users page from Graph: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      for (const item of parsed.data.value) ids.add(item.id.toLowerCase());
      const next = parsed.data['@odata.nextLink'];
      path = next ? this.links.followedPath(next, 'nextLink') : undefined;
    }
    return ids;
  }

  async isDeletedUser(id: string): Promise<boolean> {
    const answer = await this.getIfFound(`/directory/deletedItems/${encodeURIComponent(id)}?$select=id`, `reading deleted item ${id}`);
    if (!answer.found) return false;
    const parsed = DeletedItemSchema.safeParse(answer.body);
    if (!parsed.success)
      throw new AppError('INTERNAL', `unexpected deleted item from Graph: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data.id.toLowerCase() === id.toLowerCase();
  }

  async getGroup(id: string): Promise<GraphGroup | null> {
    const answer = await this.getIfFound(`/groups/${encodeURIComponent(id)}?${GROUP_READ_SELECT}`, `reading group ${id}`);
    if (!answer.found) return null;
    const parsed = GraphGroupSchema.safeParse(answer.body);
    if (!parsed.success)
      throw new AppError(
        'INTERNAL',
        `unexpected group from Graph: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
      );
    return graphGroupOf(parsed.data);
  }

  async getUser(id: string): Promise<GraphUser | null> {
    const answer = await this.getIfFound(`/users/${encodeURIComponent(id)}?${SELECT}`, `reading user ${id}`);
    if (!answer.found) return null;
    const parsed = GraphUserSchema.safeParse(answer.body);
    if (!parsed.success)
      throw new AppError(
        'INTERNAL',
        `unexpected user from Graph: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
      );
    return parsed.data;
  }
}
