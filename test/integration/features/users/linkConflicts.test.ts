import { describe, expect, it } from 'vitest';
import { type Services, type TenantConnectors } from '../../../../shared/app/Services';
import { type PbxClient } from '../../../../shared/pbx/ports/PbxClient';
import { type ApplyOutcome } from '../../../../shared/features/users/ApplyOutcome';
import { type CreateAction } from '../../../../shared/features/users/UserPlan';
import { applyUserPlan } from '../../../../shared/features/users/applyUserPlan';
import { runUserSync } from '../../../../shared/features/users/runUserSync';
import { type SandboxUser } from '../../../../sandbox/graph';
import { numberedGuid as guid, numberedUser } from '../../../support/numberedUser';
import { useSandboxes } from '../../../support/useSandboxes';
import { createSandboxTenant } from '../../../support/sandboxTenant';

let services: Services;
let connectors: TenantConnectors;
let tenantSeq = 0;
let tenantId: string;

const sandboxes = useSandboxes({ pageSize: 50 });

const person = (n: number): SandboxUser => numberedUser(n, 'Race');

async function freshTenant(users: SandboxUser[]): Promise<void> {
  sandboxes.graph.seed(users, []);
  tenantId = `race${++tenantSeq}`;
  const created = await createSandboxTenant(sandboxes, tenantId);
  services = created.services;
  connectors = await services.connectorsFor(created.tenant);
}

/** One applier, as a run would start it: its own view of the links, read when it started. */
async function applier(pbxClient: PbxClient = connectors.pbx) {
  const linkCache = new Map((await services.links.listByTenant(tenantId)).map((l) => [l.objectId, l]));
  const pendingIds = new Set<string>();
  return (action: CreateAction): Promise<ApplyOutcome> =>
    applyUserPlan([action], {
      tenantId,
      pbx: pbxClient,
      links: services.links,
      pendingUsers: services.pendingUsers,
      linkCache,
      concurrency: 4,
      pendingIds,
    });
}

/** The real client with some operations replaced; every other call goes to it. */
function overriding(real: PbxClient, overrides: Partial<PbxClient>): PbxClient {
  return new Proxy(real, {
    get(target, property) {
      if (property in overrides) return overrides[property as keyof PbxClient];
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const extensionsOf = (objectId: string) => sandboxes.pbx.listUsers().filter((u) => u.ms365_binding === objectId);

const createAction = (n: number): CreateAction => ({
  kind: 'create',
  objectId: guid(n),
  user: {
    displayName: `Race User ${n}`,
    email: `race${n}@contoso.com`,
    mobilePhone: '',
    workPhone: '',
    department: 'Sales',
    enabled: true,
    userName: `race${n}`,
    extensionNumber: `7${n}`,
  },
  resume: false,
  renumberable: false,
});

describe('conditional link writes: two writers on one tenant (sandbox PortSIP + Azurite)', () => {
  it('two appliers racing on the same new user never make two PBX extensions: the second is refused at the write-ahead', async () => {
    await freshTenant([person(700)]);
    // The first applier is held between its write-ahead and its PBX create, the worst moment for a race.
    let reachedCreate!: () => void;
    const atCreate = new Promise<void>((resolve) => (reachedCreate = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const real = connectors.pbx;
    let firstCreates = 0;
    const holding = overriding(real, {
      createUser: async (user) => {
        firstCreates += 1;
        reachedCreate();
        await held;
        return real.createUser(user);
      },
    });
    const first = await applier(holding);
    const second = await applier(); // read the links before the first wrote anything: it too sees a new user
    const firstRun = first(createAction(700));
    await atCreate;

    // Planned from its own view of the PBX, the second picked another number: only the link can stop it.
    const secondOutcome = await second({
      ...createAction(700),
      user: { ...createAction(700).user, userName: 'race700b', extensionNumber: '7799' },
    });
    expect(secondOutcome.counts).toEqual({ failed: 1 });
    expect(secondOutcome.issues).toEqual([expect.objectContaining({ objectId: guid(700), code: 'linkConflict' })]);
    expect(secondOutcome.retryableError).toBeUndefined();
    expect(extensionsOf(guid(700))).toHaveLength(0); // the second never reached the PBX
    expect((await services.pendingUsers.list(tenantId)).map((p) => [p.objectId, p.code])).toEqual([[guid(700), 'linkConflict']]);

    release();
    expect((await firstRun).counts).toEqual({ created: 1 });
    expect(firstCreates).toBe(1);
    expect(extensionsOf(guid(700))).toHaveLength(1);
    expect(await services.links.get(tenantId, guid(700))).toMatchObject({ state: 'active', pbxUserId: extensionsOf(guid(700))[0]!.id });
  });

  it('a final link write on a stale ETag is refused, and the next run converges on one extension', async () => {
    await freshTenant([person(701)]);
    // Another writer touches the reservation while the PBX create is under way.
    const real = connectors.pbx;
    const touching = overriding(real, {
      createUser: async (user) => {
        const created = await real.createUser(user);
        const reservation = (await services.links.get(tenantId, guid(701)))!;
        await services.links.update({ ...reservation, updatedAt: 'touched by another writer' });
        return created;
      },
    });
    const outcome = await (await applier(touching))(createAction(701));
    expect(outcome.counts).toEqual({ failed: 1 });
    expect(outcome.issues[0]?.code).toBe('linkConflict');
    expect(await services.links.get(tenantId, guid(701))).toMatchObject({ state: 'creating', updatedAt: 'touched by another writer' });

    // The next run re-reads the user (pending), resumes the reservation and finds the extension by its number.
    const tenant = (await services.tenants.get(tenantId))!;
    const next = await runUserSync(
      {
        tenantId,
        options: tenant.config.users,
        directoryReader: connectors.directoryReader,
        pbx: connectors.pbx,
        pbxProfile: connectors.pbxProfile,
        deltaStates: services.deltaStates,
        links: services.links,
        pendingUsers: services.pendingUsers,
        concurrency: 4,
      },
      { mode: 'full', dryRun: false },
    );
    expect(next.counts).toMatchObject({ failed: 0, created: 0, updated: 1 });
    expect(extensionsOf(guid(701))).toHaveLength(1);
    expect(await services.links.get(tenantId, guid(701))).toMatchObject({ state: 'active', pbxUserId: extensionsOf(guid(701))[0]!.id });
    expect(await services.pendingUsers.list(tenantId)).toEqual([]);
  });
});
