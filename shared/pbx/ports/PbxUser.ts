import { type PbxUserFields } from './PbxUserFields';

/** A PBX user (extension) as `PbxUsers` lists it. */
export interface PbxUser extends PbxUserFields {
  id: string;
  /** The PBX account name (immutable on PortSIP). */
  userName: string;
  /** The extension number (immutable on PortSIP and 3CX: see PbxProfile.extensionNumbers). */
  extensionNumber: string;
}
