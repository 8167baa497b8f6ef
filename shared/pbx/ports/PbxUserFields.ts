/**
 * The fields the users feature owns on a PBX extension, and the only ones `PbxUsers` writes. Presence (DND,
 * status) is not here on purpose: it belongs to `PbxPresence` (see PbxFieldOwners). Empty string means "cleared".
 */
export interface PbxUserFields {
  displayName: string;
  email: string;
  mobilePhone: string;
  workPhone: string;
  department: string;
  enabled: boolean;
}
