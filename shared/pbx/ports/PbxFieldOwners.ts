import { type PbxPresenceState } from './PbxPresenceState';
import { type PbxUserFields } from './PbxUserFields';

/**
 * Every per-extension field the connector writes, under the one port (and so the one feature) that owns it.
 * Key sets must stay disjoint: a key listed twice would be writable by both (a test checks this).
 */
export interface PbxFieldOwners {
  users: PbxUserFields;
  presence: PbxPresenceState;
}

type OwnedKey = { [Port in keyof PbxFieldOwners]: keyof PbxFieldOwners[Port] }[keyof PbxFieldOwners];

/**
 * The keys other ports own, typed `never`. Intersected into a port's write type, it rejects an object that
 * carries a foreign field even when the object is not a literal (where excess-property checks do not apply).
 */
export type PbxFieldsNotOwnedBy<Port extends keyof PbxFieldOwners> = {
  readonly [Key in Exclude<OwnedKey, keyof PbxFieldOwners[Port]>]?: never;
};

/** What a port's update accepts: any subset of its own fields and none of another port's. */
export type PbxChangesOwnedBy<Port extends keyof PbxFieldOwners> = Partial<PbxFieldOwners[Port]> & PbxFieldsNotOwnedBy<Port>;
