/**
 * An outbound caller ID on one PBX provider (trunk): the one entry of a user's caller ID list that the users
 * feature manages. `callerId` is E.164 ("+14255550100").
 */
export interface PbxCallerId {
  providerId: string;
  callerId: string;
}

/** Equal as values; absent and null both mean "no caller ID of ours". */
export function sameCallerId(a: PbxCallerId | null | undefined, b: PbxCallerId | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.providerId === b.providerId && a.callerId === b.callerId;
}
