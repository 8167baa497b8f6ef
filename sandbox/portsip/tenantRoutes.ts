import { BUILT_IN_ROLES } from './builtInRoles';
import { eventTargetProblem, eventTargetView, mergedEventTarget, TenantUpdateBody } from './eventTargetBodies';
import { NUMBER_HOLDER_LISTS } from './numberHolderLists';
import { parseBody } from './parseBody';
import { pageOf, parsePaging } from './parsePaging';
import { notFound, validationFailed } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { type SandboxProvider } from './Providers';
import { refuseQueryOptions } from './refuseQueryOptions';
import { type Route } from './Route';

const UNSUPPORTED_LIST_OPTIONS = ['filter', 'search', 'orderby'];

/** A provider (trunk) as GET /api/providers shows it: the spec's fields the sandbox knows (the DID rule is its own switch). */
const providerView = (p: SandboxProvider) => ({ id: p.id, name: p.name, enabled: true, did_numbers: p.did_numbers });

/** `GET /api/tenant`: the settings the sandbox keeps; event passwords and tokens are left out (write-only). */
const tenantView = (tenant: PbxTenant) => ({
  id: tenant.id,
  name: tenant.name,
  domain: tenant.admin.domain,
  cdr_event: eventTargetView(tenant.eventTargets.cdr_event),
  extension_event: eventTargetView(tenant.eventTargets.extension_event),
});

/**
 * The current tenant (its name and event URLs, the only tenant settings the sandbox keeps) and the tenant
 * facts the sync needs: password policy, roles, who owns a number, the number holders.
 */
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
    { method: 'GET', path: '/api/tenant', handle: () => ({ status: 200, body: tenantView(tenant) }) },
    {
      method: 'POST',
      path: '/api/tenant',
      handle: ({ body }) => {
        const update = parseBody(TenantUpdateBody, body);
        const cdrEvent = update.cdr_event
          ? mergedEventTarget(tenant.eventTargets.cdr_event, update.cdr_event)
          : tenant.eventTargets.cdr_event;
        const extensionEvent = update.extension_event
          ? mergedEventTarget(tenant.eventTargets.extension_event, update.extension_event)
          : tenant.eventTargets.extension_event;
        // Checked on the merged result, so nothing changes unless the whole update can stand.
        for (const [name, target] of [
          ['cdr_event', cdrEvent],
          ['extension_event', extensionEvent],
        ] as const) {
          const problem = eventTargetProblem(target);
          if (problem) throw validationFailed(`${name}.${problem.field}`, problem.message);
        }
        if (update.name !== undefined) tenant.name = update.name;
        tenant.eventTargets = { cdr_event: cdrEvent, extension_event: extensionEvent };
        return { status: 200 };
      },
    },
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
