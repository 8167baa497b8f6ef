import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { AppError } from '../core/errors/AppError';
import { type DeltaStart, type DirectoryReader } from './DirectoryReader';
import { type GraphUser, GraphUserSchema, USER_SELECT, type UsersDeltaPage } from './GraphUser';
import { graphErrorFor } from './graphErrorFor';
import { parseUsersDeltaPage } from './parseUsersDeltaPage';

// accountEnabled, userType, department, employeeId and onPremisesExtensionAttributes are not in Graph's
// default user set, so every property is named (and $select also decides which changes delta reports).
const SELECT = `$select=${USER_SELECT.join(',')}`;

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
 * The DirectoryReader adapter over Microsoft Graph for one tenant. Retries of 429/503/504 happen in the
 * client's middleware (createGraphClient); what reaches here is final for the call.
 */
export class GraphDirectoryReader implements DirectoryReader {
  /** `versionRoot` and `requestCount` come from the GraphConnection the client belongs to. */
  constructor(
    private readonly client: Client,
    private readonly versionRoot: string,
    private readonly counter: () => number,
  ) {}

  requestCount(): number {
    return this.counter();
  }

  /**
   * Graph's links are absolute. The SDK only strips the host from https URLs (an http sandbox link would be
   * appended to the base URL), so links become paths below the version root; the query string passes
   * through the SDK's parser with its values untouched. Only links under our own root are followed.
   */
  private pathOf(link: string): string | undefined {
    return link.startsWith(`${this.versionRoot}/`) ? link.slice(this.versionRoot.length) : undefined;
  }

  private followedPath(link: string, name: string): string {
    const path = this.pathOf(link);
    if (path === undefined) throw new AppError('INTERNAL', `Graph returned a ${name} outside ${this.versionRoot}`);
    return path;
  }

  private async get(path: string, what: string): Promise<unknown> {
    try {
      return await this.client.api(path).get();
    } catch (err) {
      throw graphErrorFor(err, what);
    }
  }

  /** Fetches one page at a time, only when the caller asks for it, so memory stays flat for any tenant size. */
  async *usersDelta(start: DeltaStart): AsyncIterable<UsersDeltaPage> {
    let path: string;
    if (start.kind === 'initial') {
      path = `/users/delta?${SELECT}`;
    } else {
      const saved = this.pathOf(start.url);
      // A link saved for another endpoint (the tenant moved national cloud, the sandbox moved) cannot resume.
      if (saved === undefined)
        throw new AppError('DELTA_TOKEN_EXPIRED', `the saved delta link is not under ${this.versionRoot}; a full round is needed`);
      path = saved;
    }
    for (;;) {
      const page = parseUsersDeltaPage(await this.get(path, 'reading the users delta'));
      yield page;
      if (!page.nextLink) return;
      path = this.followedPath(page.nextLink, 'nextLink');
    }
  }

  /**
   * An OData cast on a transitive member list is an advanced query: Graph's documentation requires
   * `ConsistencyLevel: eventual` and `$count=true` (a strict tenant answers 400 Request_UnsupportedQuery
   * without them). The header goes with every page; `$count=true` is in the first URL and Graph keeps it in
   * its nextLinks. The answer comes from the index, which can lag a recent membership change by a little.
   */
  async listGroupMemberUserIds(groupId: string): Promise<string[]> {
    const ids: string[] = [];
    const what = `reading the members of group ${groupId}`;
    let path: string | undefined =
      `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$count=true&$select=id&$top=999`;
    while (path) {
      let body: unknown;
      try {
        body = await this.client.api(path).header('ConsistencyLevel', 'eventual').get();
      } catch (err) {
        throw graphErrorFor(err, what);
      }
      const parsed = MembersPageSchema.safeParse(body);
      if (!parsed.success)
        throw new AppError('INTERNAL', `unexpected group members page from Graph: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      for (const member of parsed.data.value) ids.push(member.id);
      const next = parsed.data['@odata.nextLink'];
      path = next ? this.followedPath(next, 'nextLink') : undefined;
    }
    return ids;
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
      path = next ? this.followedPath(next, 'nextLink') : undefined;
    }
    return ids;
  }

  async isDeletedUser(id: string): Promise<boolean> {
    let body: unknown;
    try {
      body = await this.get(`/directory/deletedItems/${encodeURIComponent(id)}?$select=id`, `reading deleted item ${id}`);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return false;
      throw err;
    }
    const parsed = DeletedItemSchema.safeParse(body);
    if (!parsed.success)
      throw new AppError('INTERNAL', `unexpected deleted item from Graph: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data.id.toLowerCase() === id.toLowerCase();
  }

  async getUser(id: string): Promise<GraphUser | null> {
    let body: unknown;
    try {
      body = await this.get(`/users/${encodeURIComponent(id)}?${SELECT}`, `reading user ${id}`);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
    const parsed = GraphUserSchema.safeParse(body);
    if (!parsed.success)
      throw new AppError(
        'INTERNAL',
        `unexpected user from Graph: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
      );
    return parsed.data;
  }
}
