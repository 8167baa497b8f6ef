import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { AppError } from '../errors/AppError';
import { DeltaStart, DirectoryReader } from './DirectoryReader';
import { GraphUser, GraphUserSchema, RemovedReasonSchema, RemovedUser, USER_SELECT, UsersDeltaPage } from './GraphUser';
import { graphErrorFor } from './graphErrorFor';

const DeltaPageSchema = z.object({
  value: z.array(z.record(z.string(), z.unknown())),
  '@odata.nextLink': z.string().optional(),
  '@odata.deltaLink': z.string().optional(),
});
const RemovedSchema = z.object({ id: z.string().min(1), '@removed': z.object({ reason: RemovedReasonSchema.catch('deleted') }) });
const MembersPageSchema = z.object({ value: z.array(z.object({ id: z.string().min(1) }).passthrough()), '@odata.nextLink': z.string().optional() });

/** Reads users and group membership of one tenant from Microsoft Graph (the DirectoryReader adapter). */
export class GraphDirectoryReader implements DirectoryReader {
  constructor(
    private readonly client: Client,
    private readonly versionRoot: string,
    private readonly counter: () => number,
  ) {}

  requestCount(): number {
    return this.counter();
  }

  /** Graph links are absolute; the SDK wants a path below the version root it was built with. */
  private relative(link: string): string {
    if (!link.startsWith('http')) return link;
    if (!link.startsWith(`${this.versionRoot}/`)) throw new AppError('INVALID', `Graph returned a link outside ${this.versionRoot}`);
    return link.slice(this.versionRoot.length);
  }

  private async get(path: string, what: string): Promise<unknown> {
    try {
      return await this.client.api(path).get();
    } catch (err) {
      throw graphErrorFor(err, what);
    }
  }

  async *usersDelta(start: DeltaStart): AsyncIterable<UsersDeltaPage> {
    let path = start.kind === 'initial' ? `/users/delta?$select=${USER_SELECT.join(',')}` : this.relative(start.url);
    for (;;) {
      const parsed = DeltaPageSchema.safeParse(await this.get(path, 'reading users delta'));
      if (!parsed.success) throw new AppError('INTERNAL', `unexpected users delta page from Graph: ${parsed.error.issues[0]?.message}`);
      const page = parsed.data;
      const users: GraphUser[] = [];
      const removed: RemovedUser[] = [];
      for (const item of page.value) {
        if ('@removed' in item) {
          const r = RemovedSchema.safeParse(item);
          if (!r.success) throw new AppError('INTERNAL', `unexpected removed item in users delta: ${r.error.issues[0]?.message}`);
          removed.push({ id: r.data.id, reason: r.data['@removed'].reason });
        } else {
          const u = GraphUserSchema.safeParse(item);
          if (!u.success) throw new AppError('INTERNAL', `unexpected user in users delta: ${u.error.issues[0]?.path.join('.')}: ${u.error.issues[0]?.message}`);
          users.push(u.data);
        }
      }
      const nextLink = page['@odata.nextLink'];
      const deltaLink = page['@odata.deltaLink'];
      if (!nextLink && !deltaLink) throw new AppError('INTERNAL', 'users delta page has neither a nextLink nor a deltaLink');
      yield nextLink ? { users, removed, nextLink } : { users, removed, deltaLink };
      if (!nextLink) return;
      path = this.relative(nextLink);
    }
  }

  async listGroupMemberUserIds(groupId: string): Promise<string[]> {
    const ids: string[] = [];
    let path: string | undefined = `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$select=id&$top=999`;
    while (path) {
      const parsed = MembersPageSchema.safeParse(await this.get(path, `reading members of group ${groupId}`));
      if (!parsed.success) throw new AppError('INTERNAL', `unexpected group members page from Graph: ${parsed.error.issues[0]?.message}`);
      ids.push(...parsed.data.value.map((m) => m.id));
      path = parsed.data['@odata.nextLink'] ? this.relative(parsed.data['@odata.nextLink']) : undefined;
    }
    return ids;
  }

  async getUser(id: string): Promise<GraphUser | null> {
    try {
      const parsed = GraphUserSchema.safeParse(await this.get(`/users/${encodeURIComponent(id)}?$select=${USER_SELECT.join(',')}`, `reading user ${id}`));
      if (!parsed.success) throw new AppError('INTERNAL', `unexpected user from Graph: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }
}
