/**
 * A PBX user as the per-user ports address it: its id, and the login name the PBX knows it by (a session as
 * that user signs in with it, and the connector keeps the user's portal password under it).
 */
export interface PbxAccount {
  id: string;
  userName: string;
}
