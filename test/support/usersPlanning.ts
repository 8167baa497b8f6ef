import { type GraphUser } from '../../shared/graph/GraphUser';
import { type PbxUser } from '../../shared/pbx/ports/PbxClient';
import { portSipProfile } from '../../shared/pbx/portsip/portSipProfile';
import { PbxDirectory } from '../../shared/features/users/PbxDirectory';
import { type PlanInput, planUserChanges } from '../../shared/features/users/planUserChanges';
import { UserSyncOptionsSchema } from '../../shared/features/users/usersOptions';

/** A plain Entra member "Ann Lee<id>" (ann<id>@contoso.com, Sales) for planning tests. */
export const annUser = (id: string, extra: Partial<GraphUser> = {}): GraphUser => ({
  id,
  givenName: 'Ann',
  surname: `Lee${id}`,
  displayName: `Ann Lee${id}`,
  userPrincipalName: `ann${id}@contoso.com`,
  mail: `ann${id}@contoso.com`,
  businessPhones: [],
  mobilePhone: null,
  department: 'Sales',
  accountEnabled: true,
  userType: 'Member',
  ...extra,
});

/** An extension already on the PBX (user `u<ext>`). */
export const existingPbxUser = (id: string, ext: string, email: string): PbxUser => ({
  id,
  userName: `u${ext}`,
  extensionNumber: ext,
  email,
  displayName: 'Existing',
  mobilePhone: '',
  workPhone: '',
  department: '',
  enabled: true,
});

/** planUserChanges with defaults: no links, default options, PortSIP's profile, an empty PBX. */
export const planWithDefaults = (input: Partial<PlanInput> & { users: PlanInput['users'] }) =>
  planUserChanges({
    removed: [],
    links: new Map(),
    options: UserSyncOptionsSchema.parse({}),
    profile: portSipProfile,
    directory: new PbxDirectory(portSipProfile, [], [], new Set()),
    ...input,
  });
