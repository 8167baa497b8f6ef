import { type PbxUsers } from './PbxUsers';

/**
 * The port's former name, kept so code written against one all-purpose client (the users feature, the
 * services) compiles unchanged while it moves to the capability ports (PbxConnection).
 */
export type PbxClient = PbxUsers;

export { type PbxUserFields } from './PbxUserFields';
export { type PbxUser } from './PbxUser';
export { type PbxNewUser } from './PbxNewUser';
export { type PbxNumberOwner, type PbxNumberType } from './PbxNumberOwner';
