export type PbxNumberType = 'EXTENSION' | 'RING_GROUP' | 'CALL_QUEUE' | 'CONFERENCE_ROOM' | 'VIRTUAL_RECEPTIONIST' | 'OTHER';

/** Whatever holds an extension number: a user, or a ring group, queue, conference room or IVR. */
export interface PbxNumberOwner {
  id: string;
  extensionNumber: string;
  name: string;
  type: PbxNumberType;
}
