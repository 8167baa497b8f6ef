import { type PbxUser } from '../ports/PbxUser';
import { ourCallerId } from './outboundCallerIds';
import { type PortSipUser } from './portSipSchemas';

/** A validated PortSIP user (blank fields already '') as the port's PbxUser. */
export function toPbxUser(user: PortSipUser): PbxUser {
  return {
    id: user.id,
    userName: user.name,
    extensionNumber: user.extension_number,
    displayName: user.display_name,
    email: user.email,
    mobilePhone: user.mobile_phone,
    workPhone: user.work_phone,
    department: user.department,
    enabled: user.enabled,
    // A read by id shows the list (null: none); list items do not, and then it stays unknown (absent).
    ...(user.outbound_caller_ids !== undefined ? { outboundCallerId: ourCallerId(user.outbound_caller_ids ?? []) } : {}),
  };
}
