import { type PbxChangesOwnedBy } from './PbxFieldOwners';

/** What `PbxUsers.updateUser` accepts: some of PbxUserFields, never a presence field. */
export type PbxUserChanges = PbxChangesOwnedBy<'users'>;
