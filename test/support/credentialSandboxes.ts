import { afterAll, beforeAll } from 'vitest';
import { EntraSandbox } from '../../sandbox/entra';
import { GraphSandbox, generateUsers } from '../../sandbox/graph';
import { KeyVaultSandbox } from '../../sandbox/keyvault/KeyVaultSandbox';
import { PortSipSandbox } from '../../sandbox/portsip';
import { KeyVaultCertificateStore } from '../../shared/platform/certificates/KeyVaultCertificateStore';
import { type GraphEndpointsFor } from '../../shared/graph/GraphEndpoints';
import { type SharedAppSettings } from '../../shared/credentials/SharedAppSettings';
import { sandboxTenantConfig, writeSandboxTenantSecrets } from '../../shared/platform/local/sandboxTenantConfig';
import { type TenantConfig } from '../../shared/config/TenantConfig';
import { createTestServices } from './testServices';

export interface CredentialSandboxes {
  vault: KeyVaultSandbox;
  entra: EntraSandbox;
  /** Graph for the customer's directory (`graph.tenantId`), accepting tokens Entra issued there. */
  graph: GraphSandbox;
  pbx: PortSipSandbox;
  /** Every cloud's Graph and Entra hosts replaced by the stand-ins. */
  graphEndpoints: GraphEndpointsFor;
}

/**
 * The stand-ins a Graph credential's life runs against, for the test file: Key Vault (HTTPS, real SDK clients),
 * Entra (HTTPS token endpoint, admin consent), Graph (users, /applications addKey/removeKey) and a PBX.
 */
export function useCredentialSandboxes(users = 5): { readonly current: CredentialSandboxes } {
  let current: CredentialSandboxes | undefined;
  beforeAll(async () => {
    const vault = await KeyVaultSandbox.start();
    const entra = await EntraSandbox.start();
    const directoryId = entra.addDirectory();
    const graph = await GraphSandbox.start({ entra, tenantId: directoryId });
    graph.seed(generateUsers(users));
    const pbx = await PortSipSandbox.start({ rateLimitPerMinute: 600_000 });
    const graphEndpoints: GraphEndpointsFor = () => ({
      graphBaseUrl: graph.baseUrl,
      authorityHost: entra.authorityHost,
      trustedCaPem: entra.caPem,
    });
    current = { vault, entra, graph, pbx, graphEndpoints };
  });
  afterAll(async () => {
    await current?.graph.stop();
    await current?.entra.stop();
    await current?.vault.stop();
    await current?.pbx.stop();
  });
  return {
    get current() {
      if (!current) throw new Error('the sandboxes start in beforeAll');
      return current;
    },
  };
}

/** Services whose certificates live in the Key Vault stand-in and whose Graph and Entra are the stand-ins. */
export async function credentialTestServices(
  sandboxes: CredentialSandboxes,
  options: { sharedApp?: SharedAppSettings; publicBaseUrl?: string } = {},
) {
  const { vault } = sandboxes;
  return createTestServices(
    {},
    {
      certificates: new KeyVaultCertificateStore(vault.vaultUrl, vault.credential, vault.clientOptions),
      graphEndpoints: sandboxes.graphEndpoints,
      ...options,
    },
  );
}

/** A tenant of the sandbox PBX and Graph directory signing in as `app` with `auth`; its PBX credential written. */
export async function createCredentialTenant(
  services: Awaited<ReturnType<typeof createTestServices>>,
  sandboxes: CredentialSandboxes,
  tenantId: string,
  app: { appId: string; objectId?: string | undefined },
  auth: TenantConfig['microsoft365']['auth'],
) {
  const { graph, pbx } = sandboxes;
  const endpoints = { graphBaseUrl: graph.baseUrl, graphToken: graph.token, pbxBaseUrl: pbx.baseUrl, pbxDomain: pbx.credentials.domain };
  await writeSandboxTenantSecrets(services.secrets, tenantId, endpoints, pbx.credentials);
  const config = sandboxTenantConfig(endpoints, {});
  config.microsoft365 = {
    ...config.microsoft365,
    directoryId: graph.tenantId,
    applicationId: app.appId,
    ...(app.objectId ? { applicationObjectId: app.objectId } : {}),
    auth,
  };
  return services.tenants.create(tenantId, config);
}
