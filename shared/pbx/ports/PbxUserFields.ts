import { type PbxCallerId } from './PbxCallerId';

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
  /**
   * The connector's own entry in the extension's outbound caller IDs (one provider, E.164), or null for none.
   * Absent means null too: links stored before the option existed, and PBX list items, which do not show it.
   * Writing it replaces or removes only the connector's entry; entries an admin added stay (see the adapter).
   */
  outboundCallerId?: PbxCallerId | null | undefined;
  /**
   * First and last name, for a product that keeps them apart (PbxProfile.splitNames: 3CX). Absent for the
   * others, so their fields, hashes and stored links are what they were before these existed.
   */
  givenName?: string | undefined;
  surname?: string | undefined;
}
