import { type PbxUserFields } from './PbxUserFields';

/** What `PbxUsers.createUser` needs: the owned fields plus the identifiers fixed at creation. */
export interface PbxNewUser extends PbxUserFields {
  userName: string;
  extensionNumber: string;
}
