import { type PbxEventTarget } from './PbxEventTarget';
import { type PbxAvatars } from './PbxAvatars';
import { type PbxCompanyContacts } from './PbxCompanyContacts';
import { type PbxGroups } from './PbxGroups';
import { type PbxPersonalContacts } from './PbxPersonalContacts';
import { type PbxPortalAccess } from './PbxPortalAccess';
import { type PbxPresence } from './PbxPresence';
import { type PbxProfile } from './PbxProfile';
import { type PbxUsers } from './PbxUsers';

/**
 * One tenant's PBX as its adapter exposes it: the product's rules plus a port per capability the adapter
 * implements. An absent port means "not implemented by this adapter" (whether the product has it at all is
 * `profile.supports`); a feature that needs it is skipped and reported for the tenant.
 */
export interface PbxConnection {
  profile: PbxProfile;
  users: PbxUsers;
  groups?: PbxGroups;
  companyContacts?: PbxCompanyContacts;
  personalContacts?: PbxPersonalContacts;
  presence?: PbxPresence;
  /** Where the PBX sends its extension events (PortSIP's tenant settings). */
  eventTarget?: PbxEventTarget;
  avatars?: PbxAvatars;
  /** Present when per-user ports work through sessions as the user (PortSIP). */
  portalAccess?: PbxPortalAccess;
}
