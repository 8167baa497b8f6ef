import { type PbxAccount } from './PbxAccount';

/** A picture as bytes with its media type (image/jpeg, image/png). */
export interface AvatarImage {
  bytes: Uint8Array;
  contentType: string;
}

/**
 * Port: a user's PBX picture. PortSIP sets it only for the signed-in user (upload a blob, then point the
 * user's own profile at it), so like PbxPersonalContacts it works through a session as the user and fails
 * with a NoUserAccess error for users whose portal password the connector does not keep.
 */
export interface PbxAvatars {
  setAvatar(owner: PbxAccount, image: AvatarImage): Promise<void>;
  /** No avatar any more; none already counts as done. */
  removeAvatar(owner: PbxAccount): Promise<void>;
}
