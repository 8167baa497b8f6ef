import { BUILT_IN_ROLES } from './builtInRoles';
import { NUMBER_HOLDER_LISTS } from './numberHolderLists';
import { pageOf, parsePaging } from './parsePaging';
import { notFound, validationFailed } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { type SandboxProvider } from './Providers';
import { refuseQueryOptions } from './refuseQueryOptions';
import { type Route } from './Route';

const UNSUPPORTED_LIST_OPTIONS = ['filter', 'search', 'orderby'];

/** A provider (trunk) as GET /api/providers shows it: the spec's fields the sandbox knows (the DID rule is its own switch). */
const providerView = (p: SandboxProvider) => ({ id: p.id, name: p.name, enabled: true, did_numbers: p.did_numbers });

/** Read-only tenant facts the sync needs: password policy, roles, who owns a number, the number holders. */
export function tenantRoutes(tenant: PbxTenant): Route[] {
  const holderLists: Route[] = NUMBER_HOLDER_LISTS.map((list) => ({
    method: 'GET',
    path: list.path,
    handle: ({ query }) => {
      refuseQueryOptions(query, UNSUPPORTED_LIST_OPTIONS);
      return { status: 200, body: pageOf(tenant.holders.ofType(list.type), parsePaging(query), list.item) };
    },
  }));

  return [
    { method: 'GET', path: '/api/tenant/password_policy', handle: () => ({ status: 200, body: { ...tenant.passwordPolicy } }) },
    {
      method: 'GET',
      path: '/api/roles',
      handle: ({ query }) => {
        refuseQueryOptions(query, UNSUPPORTED_LIST_OPTIONS);
        return { status: 200, body: pageOf(BUILT_IN_ROLES, parsePaging(query), (role) => ({ ...role })) };
      },
    },
    {
      method: 'GET',
      path: '/api/extension_numbers/{extension_number}',
      handle: ({ params }) => {
        const number = params[0]!;
        if (!/^[0-9]{3,64}$/.test(number)) throw validationFailed('extension_number', 'must be 3-64 digits');
        const owner = tenant.numberOwner(number);
        if (!owner) throw notFound(`The extension number ${number} is not in use`);
        return { status: 200, body: owner };
      },
    },
    {
      method: 'GET',
      path: '/api/providers',
      handle: ({ query }) => {
        refuseQueryOptions(query, UNSUPPORTED_LIST_OPTIONS);
        return { status: 200, body: pageOf(tenant.providers.all(), parsePaging(query), providerView) };
      },
    },
    {
      method: 'GET',
      path: '/api/providers/{id}',
      handle: ({ params }) => {
        const provider = tenant.providers.get(params[0]!);
        if (!provider) throw notFound(`The provider ${params[0]!} does not exist`);
        return { status: 200, body: providerView(provider) };
      },
    },
    ...holderLists,
  ];
}
