import { AppError, isAppError } from '../../core/errors/AppError';
import { type PbxGroup, type PbxGroupFields } from '../ports/PbxGroup';
import { type PbxGroups } from '../ports/PbxGroups';
import { type PortSipApi } from './PortSipApi';
import { portSipPages } from './portSipPages';
import { CreatedSchema, GroupMembersSchema, PortSipGroupSchema } from './portSipSchemas';

const id = (value: string) => encodeURIComponent(value);
const length = (value: string) => [...value].length;

/** PortSIP's limits on a group (reference/portsip.md §3), checked before anything is sent. */
function checkFields(fields: Partial<PbxGroupFields>, what: string): void {
  if (fields.name !== undefined && (length(fields.name) < 1 || length(fields.name) > 64))
    throw new AppError('INVALID', `${what}: the group name must be 1 to 64 characters (it has ${length(fields.name)})`, {
      details: { field: 'name' },
    });
  if (fields.description !== undefined && length(fields.description) > 1024)
    throw new AppError('INVALID', `${what}: the group description must be at most 1024 characters`, { details: { field: 'description' } });
}

/**
 * The PortSIP v22 adapter of the PbxGroups port (`/api/groups`), sharing a PortSipClient's session, rate
 * limit and request count (PortSipClient.groups()). ⚠ PortSIP does not document what adding a member twice
 * or removing a non-member answers: a refusal is followed by one membership check
 * (`GET /api/groups/{id}/members/{n}`), and only the outcome the call wanted counts as done.
 */
export class PortSipGroups implements PbxGroups {
  constructor(
    private readonly api: PortSipApi,
    private readonly countRequests: () => number,
  ) {}

  /** HTTP requests sent so far by the client this port shares its transport with (retries included). */
  requestCount(): number {
    return this.countRequests();
  }

  async *listGroups(): AsyncIterable<PbxGroup[]> {
    for await (const groups of portSipPages(this.api, '/groups', PortSipGroupSchema, 'listing user groups', (g) => g.id)) {
      yield groups.map((g) => ({ id: g.id, name: g.name, description: g.description }));
    }
  }

  async createGroup(fields: PbxGroupFields): Promise<{ id: string }> {
    const what = 'creating user group';
    checkFields(fields, what);
    const body: Record<string, unknown> = { name: fields.name };
    if (fields.description !== '') body.description = fields.description;
    const created = await this.api.read(CreatedSchema, 'POST', '/groups', { what, subject: fields.name, body });
    return { id: created.id };
  }

  async updateGroup(groupId: string, changes: Partial<PbxGroupFields>): Promise<void> {
    const what = `updating user group ${groupId}`;
    checkFields(changes, what);
    const body: Record<string, unknown> = {};
    if (changes.name !== undefined) body.name = changes.name;
    if (changes.description !== undefined) body.description = changes.description;
    if (Object.keys(body).length === 0) return;
    await this.api.call('POST', `/groups/${id(groupId)}`, { what, body });
  }

  async deleteGroup(groupId: string): Promise<void> {
    try {
      await this.api.call('POST', `/groups/${id(groupId)}/destroy`, { what: `deleting user group ${groupId}` });
    } catch (err) {
      // Already gone is what we wanted.
      if (!isAppError(err, 'NOT_FOUND')) throw err;
    }
  }

  async listMembers(groupId: string): Promise<string[]> {
    const page = await this.api.read(GroupMembersSchema, 'GET', `/groups/${id(groupId)}/members`, {
      what: `listing the members of user group ${groupId}`,
    });
    return [...new Set((page.items ?? []).map((m) => m.extension_number))];
  }

  async addMember(groupId: string, extensionNumber: string): Promise<void> {
    try {
      await this.api.call('POST', this.memberPath(groupId, extensionNumber), {
        what: `adding extension ${extensionNumber} to user group ${groupId}`,
      });
    } catch (err) {
      // A refusal of a valid request may mean "already a member", which is what we wanted.
      if (!isAppError(err, 'CONFLICT') && !isAppError(err, 'INVALID')) throw err;
      if (!(await this.isMember(groupId, extensionNumber))) throw err;
    }
  }

  async removeMember(groupId: string, extensionNumber: string): Promise<void> {
    try {
      await this.api.call('POST', `${this.memberPath(groupId, extensionNumber)}/destroy`, {
        what: `removing extension ${extensionNumber} from user group ${groupId}`,
      });
    } catch (err) {
      // Not found (the member, the number or the group): not a member, which is what we wanted.
      if (isAppError(err, 'NOT_FOUND')) return;
      if (!isAppError(err, 'CONFLICT') && !isAppError(err, 'INVALID')) throw err;
      if (await this.isMember(groupId, extensionNumber)) throw err;
    }
  }

  /** `GET /api/groups/{id}/members/{n}`: 200 when a member, 404 when not. */
  private async isMember(groupId: string, extensionNumber: string): Promise<boolean> {
    try {
      await this.api.call('GET', this.memberPath(groupId, extensionNumber), {
        what: `checking extension ${extensionNumber} in user group ${groupId}`,
      });
      return true;
    } catch (err) {
      if (isAppError(err, 'NOT_FOUND')) return false;
      throw err;
    }
  }

  private memberPath(groupId: string, extensionNumber: string): string {
    return `/groups/${id(groupId)}/members/${id(extensionNumber)}`;
  }
}
