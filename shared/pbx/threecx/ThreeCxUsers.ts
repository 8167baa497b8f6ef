import { AppError } from '../../core/errors/AppError';
import { nullIfNotFound } from '../../core/errors/nullIfNotFound';
import { type PbxFieldsNotOwnedBy } from '../ports/PbxFieldOwners';
import { type PbxNewUser } from '../ports/PbxNewUser';
import { type PbxNumberOwner, type PbxNumberType } from '../ports/PbxNumberOwner';
import { type PbxUser } from '../ports/PbxUser';
import { type PbxUserChanges } from '../ports/PbxUserChanges';
import { type PbxUsers } from '../ports/PbxUsers';
import { odataId, odataString } from './odataKey';
import { type ThreeCxApi } from './ThreeCxApi';
import { CreatedSchema, PEER_SELECT, PeerSchema, ThreeCxUserSchema, USER_SELECT } from './threeCxSchemas';
import { type SplitNames, newUserBody, toPbxUser, userPatch } from './threeCxUserFields';

/** 3CX's `PeerType` → the port's; everything else (Fax, Parking, trunks, special menus…) is OTHER. */
const PEER_TYPES: Record<string, PbxNumberType> = {
  extension: 'EXTENSION',
  ringgroup: 'RING_GROUP',
  queue: 'CALL_QUEUE',
  conference: 'CONFERENCE_ROOM',
  ivr: 'VIRTUAL_RECEPTIONIST',
};
const peerType = (type: string): PbxNumberType => PEER_TYPES[type.toLowerCase()] ?? 'OTHER';

/**
 * The 3CX V20 XAPI adapter of the PbxUsers port (an API client with the System Owner role). What 3CX lacks:
 * - a login name: PbxUser.userName is the extension number, and the planner's account name is not sent;
 * - an office phone and a department on users: workPhone and department are neither written nor read ('');
 * - a caller ID per trunk: OutboundCallerID is one string, so only `callerId` is written;
 * - an Entra object id field: bindMicrosoft365 is a no-op, the connector's link table is the binding.
 * Numbers are checked against the PBX's extension length (ENL, from the readiness probe) before a create.
 */
export class ThreeCxUsers implements PbxUsers {
  constructor(private readonly api: ThreeCxApi) {}

  requestCount(): number {
    return this.api.requestCount();
  }

  async *listUsers(): AsyncIterable<PbxUser[]> {
    for await (const users of this.api.pages('/Users', `$select=${USER_SELECT}`, ThreeCxUserSchema, 'listing 3CX users')) {
      yield users.map(toPbxUser);
    }
  }

  async listNonUserNumbers(): Promise<string[]> {
    const numbers = new Set<string>();
    for await (const peers of this.api.pages('/Peers', '$select=Number,Type', PeerSchema, 'listing 3CX numbers')) {
      for (const peer of peers) if (peer.Number && peerType(peer.Type) !== 'EXTENSION') numbers.add(peer.Number);
    }
    return [...numbers];
  }

  async findNumberOwner(extensionNumber: string): Promise<PbxNumberOwner | null> {
    const what = `looking up 3CX number ${extensionNumber}`;
    const peer = await nullIfNotFound(
      this.api.read(PeerSchema, 'GET', `/Peers(Number=${odataString(extensionNumber)})?$select=${PEER_SELECT}`, { what }),
    );
    if (!peer) return null;
    const type = peerType(peer.Type);
    if (type !== 'EXTENSION') return { id: peer.Id ?? '', extensionNumber: peer.Number || extensionNumber, name: peer.Name, type };
    // ⚠ Whether a Peer's Id is its User's Id is not documented: the owner's id must work with getUser, so the
    // user is read by number (20.0.8+ alternate key).
    const user = await nullIfNotFound(this.readUserByNumber(extensionNumber, what));
    if (!user) return { id: peer.Id ?? '', extensionNumber, name: peer.Name, type };
    const pbxUser = toPbxUser(user);
    return { id: pbxUser.id, extensionNumber: pbxUser.extensionNumber, name: pbxUser.displayName || peer.Name, type };
  }

  async getUser(userId: string): Promise<PbxUser | null> {
    const user = await nullIfNotFound(this.readUser(userId));
    return user && toPbxUser(user);
  }

  async createUser(user: PbxNewUser & PbxFieldsNotOwnedBy<'users'>): Promise<{ id: string }> {
    await this.checkNumber(user.extensionNumber);
    const what = `creating 3CX extension ${user.extensionNumber}`;
    // 201 with the whole entity, SIP secrets included: the schema keeps its Id and nothing else.
    const created = await this.api.read(CreatedSchema, 'POST', '/Users', { what, body: newUserBody(user.extensionNumber, user) });
    if (created.Id !== undefined) return { id: created.Id };
    // ⚠ A 3CX that answered 204 (no entity): find the new user by its number.
    const found = await this.readUserByNumber(user.extensionNumber, what);
    return { id: found.Id };
  }

  async updateUser(userId: string, changes: PbxUserChanges): Promise<void> {
    const body = userPatch(changes);
    await this.keepFirstNameWithDisplayName(userId, changes, body);
    if (Object.keys(body).length === 0) return;
    await this.api.call('PATCH', `/Users(${odataId(userId, `updating 3CX user ${userId}`)})`, {
      what: `updating 3CX user ${userId}`,
      body,
    });
  }

  async deleteUser(userId: string): Promise<void> {
    const what = `deleting 3CX user ${userId}`;
    // Already gone is what we wanted. ⚠ What happens to the user's voicemail and recordings is undocumented.
    await nullIfNotFound((async () => this.api.call('DELETE', `/Users(${odataId(userId, what)})`, { what }))());
  }

  /**
   * A no-op: 3CX users have no Entra object id field (notes §1), and 3CX's own Microsoft 365 sign-in matches
   * the extension's e-mail (⚠ per the 3CX manual, not tried). The connector's link table (Entra object id ↔
   * 3CX Id) is the binding.
   */
  async bindMicrosoft365(_userId: string, _entraObjectId: string): Promise<void> {}

  /** By the alternate key (20.0.8+), always with `$select`. */
  private async readUserByNumber(extensionNumber: string, what: string) {
    return this.api.read(ThreeCxUserSchema, 'GET', `/Users(Number=${odataString(extensionNumber)})?$select=${USER_SELECT}`, { what });
  }

  private async readUser(userId: string) {
    const what = `reading 3CX user ${userId}`;
    return this.api.read(ThreeCxUserSchema, 'GET', `/Users(${odataId(userId, what)})?$select=${USER_SELECT}`, { what });
  }

  /**
   * A user known by display name alone carries it in FirstName (firstAndLast). When only the display name
   * changes, FirstName follows it if it still equals the old one and LastName is blank; one read decides.
   */
  private async keepFirstNameWithDisplayName(userId: string, changes: PbxUserChanges & SplitNames, body: Record<string, unknown>) {
    if (changes.displayName === undefined || changes.givenName !== undefined || changes.surname !== undefined) return;
    const current = await this.readUser(userId);
    if (current.LastName === '' && (current.FirstName === '' || current.FirstName === current.DisplayName)) {
      body.FirstName = changes.displayName;
    }
  }

  /** The PBX's own extension length, once the probe knows it: INVALID rather than a create 3CX would refuse. */
  private async checkNumber(extensionNumber: string): Promise<void> {
    const { extensionLength } = await this.api.ready();
    if (!/^[0-9]+$/.test(extensionNumber)) {
      throw new AppError('INVALID', `3CX extension numbers are digits only; ${JSON.stringify(extensionNumber)} is not one`);
    }
    if (extensionLength !== undefined && extensionNumber.length !== extensionLength) {
      throw new AppError(
        'INVALID',
        `this 3CX uses ${extensionLength}-digit extension numbers (its ENL); ${extensionNumber} has ${extensionNumber.length} digits`,
        { details: { extensionLength } },
      );
    }
  }
}
