import { type LinkStore, type UserLink } from './LinkStore';

/** A user the users feature has linked to a PBX extension. */
export interface LinkedUser {
  /** The Entra object id. */
  objectId: string;
  pbxUserId: string;
  extensionNumber: string;
  /** The PBX login name (per-user sessions sign in with it). */
  pbxUserName: string;
  /** Whether the connector created the extension or adopted one that was there (it never sets an adopted user's password). */
  origin: 'created' | 'adopted';
}

/**
 * Read-only port: the users feature's links as other features may see them (groups needs extension numbers
 * for its members, presence needs to know who is synced). It cannot write, and it shows only links whose
 * extension exists (not a reservation whose create is still pending).
 */
export interface LinkedUsers {
  get(objectId: string): Promise<LinkedUser | undefined>;
  list(): Promise<LinkedUser[]>;
}

/** The LinkedUsers view of one tenant's users links. */
export function linkedUsersOf(links: Pick<LinkStore, 'get' | 'listByTenant'>, tenantId: string): LinkedUsers {
  return {
    async get(objectId) {
      const link = await links.get(tenantId, objectId);
      return link ? asLinkedUser(link) : undefined;
    },
    async list() {
      return (await links.listByTenant(tenantId)).flatMap((link) => asLinkedUser(link) ?? []);
    },
  };
}

function asLinkedUser(link: UserLink): LinkedUser | undefined {
  if (link.state !== 'active' || !link.pbxUserId) return undefined;
  return {
    objectId: link.objectId,
    pbxUserId: link.pbxUserId,
    extensionNumber: link.extensionNumber,
    pbxUserName: link.pbxUserName,
    origin: link.origin,
  };
}
