/**
 * The product-neutral statuses. PortSIP has all five; 3CX has five forwarding profiles (Available, Away,
 * Out of office, Custom 1, Custom 2), so an adapter maps lunch and business trip onto custom profiles by
 * configuration (docs/PBX-PORTS.md).
 */
export type PbxPresenceStatus = 'available' | 'away' | 'doNotDisturb' | 'lunch' | 'businessTrip';

export const PBX_PRESENCE_STATUSES = [
  'available',
  'away',
  'doNotDisturb',
  'lunch',
  'businessTrip',
] as const satisfies readonly PbxPresenceStatus[];

/**
 * An extension's presence, owned by the presence feature and written only through `PbxPresence`. Kept apart
 * from PbxUserFields so user sync can never write DND (PortSIP's `enable_dnd` sits on the same user record).
 */
export interface PbxPresenceState {
  /** PortSIP: the `enable_dnd` flag; 3CX: the "Out of office" profile. */
  doNotDisturb: boolean;
  status: PbxPresenceStatus;
  /** Free text shown with the status ('' = none); PortSIP allows 128 characters. */
  statusNote: string;
}

/**
 * What `PbxPresence.getPresence` reads. `status` is undefined while the PBX shows a call, ringing or offline
 * state in place of the status the user chose (PortSIP reports ON_CALL, RINGING, OTHER_CALL or OFFLINE there):
 * the chosen status cannot be told then.
 */
export type PbxPresenceReading = Omit<PbxPresenceState, 'status'> & { status: PbxPresenceStatus | undefined };
