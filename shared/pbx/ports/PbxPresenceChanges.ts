import { type PbxChangesOwnedBy } from './PbxFieldOwners';

/** What `PbxPresence.setPresence` accepts: some of PbxPresenceState, never a user field. */
export type PbxPresenceChanges = PbxChangesOwnedBy<'presence'>;
