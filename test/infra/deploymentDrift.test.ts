import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppSettingsSchema } from '../../shared/config/AppSettings';
import { webhookRoutes } from '../../shared/notifications/webhookRoutes';

/*
 * The deployment (azure.yaml, infra/) against the code. infra/app/appSettings.json is the one source of the
 * function app's settings and its identity's roles: api.bicep and rbac.bicep load it, and this test checks it
 * against what the code reads and calls. The Bicep is not compiled here, so a few consistency checks stand in
 * for the compiler (module paths, parameters, outputs).
 */

const ROOT = resolve(__dirname, '../..');
const INFRA = join(ROOT, 'infra');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface RoleAssignment {
  role: string;
  roleDefinitionId: string;
  scope: string;
  why: string;
}
interface AppConfig {
  settings: Record<string, unknown>;
  roleAssignments: RoleAssignment[];
}
const config = JSON.parse(read('infra/app/appSettings.json')) as AppConfig;
const settings = config.settings;

/** `{{token}}` placeholders in a value. */
const tokensIn = (value: string) => [...value.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);

/** The keys of the `var tokens = { … }` object in api.bicep: the values Bicep fills in. */
function bicepTokens(): string[] {
  const block = /^var tokens = \{\n([\s\S]*?)\n\}/m.exec(read('infra/app/api.bicep'));
  if (!block) throw new Error('infra/app/api.bicep declares no `var tokens = { … }`');
  return [...block[1]!.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]!);
}

/** Dummy deployment values, the shape Azure gives them (URLs where the code validates a URL). */
const DUMMY: Record<string, string> = {
  identityClientId: '00000000-0000-0000-0000-000000000001',
  storageBlobEndpoint: 'https://stexample.blob.core.windows.net/',
  storageTableEndpoint: 'https://stexample.table.core.windows.net/',
  serviceBusFqdn: 'sb-example.servicebus.windows.net',
  keyVaultUri: 'https://kv-example.vault.azure.net/',
  functionAppHostName: 'func-api-example.azurewebsites.net',
  applicationInsightsConnectionString: 'InstrumentationKey=00000000-0000-0000-0000-000000000002;IngestionEndpoint=https://example/',
};

/** The settings as the app would see them, with every token replaced (as api.bicep does). */
function resolvedSettings(values: Record<string, string> = DUMMY): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings)) {
    out[name] = String(value).replace(/\{\{(\w+)\}\}/g, (_, token: string) => {
      if (!(token in values)) throw new Error(`no value for {{${token}}}`);
      return values[token]!;
    });
  }
  return out;
}

/** The function source files and what their bindings name. */
const functionSources = readdirSync(join(ROOT, 'functions'))
  .filter((name) => name.endsWith('.ts'))
  .map((name) => read(`functions/${name}`));
const bindingConnections = [...new Set(functionSources.flatMap((s) => [...s.matchAll(/\bconnection:\s*'(\w+)'/g)].map((m) => m[1]!)))];
const bindingExpressions = [...new Set(functionSources.flatMap((s) => [...s.matchAll(/'%(\w+)%'/g)].map((m) => m[1]!)))];
const triggeredFunctionNames = functionSources.flatMap((s) =>
  [...s.matchAll(/\bapp\.(?:timer|serviceBusQueue|storageQueue|storageBlob)\(\s*'(\w+)'/g)].map((m) => m[1]!),
);

/** The zod object inside AppSettingsSchema (a preprocess pipe), for its keys. */
const schemaKeys = Object.keys((AppSettingsSchema as unknown as { out: { shape: Record<string, unknown> } }).out.shape);

/** Settings the code reads outside the schema (process.env.X in functions/ and shared/, local-only code aside). */
function envReadsOutsideSchema(): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory() && path !== 'shared/platform/local') walk(path);
      else if (entry.name.endsWith('.ts'))
        for (const m of read(path).matchAll(/process\.env\.(\w+)/g)) if (!schemaKeys.includes(m[1]!)) names.add(m[1]!);
    }
  };
  walk('functions');
  walk('shared');
  return [...names].sort();
}

describe('infra/app/appSettings.json: the app settings', () => {
  it('every value is a string (app settings are strings)', () => {
    expect(Object.entries(settings).filter(([, value]) => typeof value !== 'string')).toEqual([]);
  });

  it('uses exactly the tokens api.bicep fills in', () => {
    const used = [...new Set(Object.values(settings).flatMap((v) => tokensIn(String(v))))].sort();
    expect(used).toEqual([...bicepTokens()].sort());
    expect(Object.keys(DUMMY).sort()).toEqual(used);
  });

  it('pass the code’s own validation (shared/config/AppSettings.ts) in the identity-based, Azure form', () => {
    const parsed = AppSettingsSchema.safeParse(resolvedSettings());
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    const s = parsed.data!;
    // Managed identity everywhere: no connection strings, Key Vault rather than a local secrets file.
    expect(s.AzureWebJobsStorage).toBeUndefined();
    expect(s.AzureWebJobsStorage__tableServiceUri).toBe(DUMMY.storageTableEndpoint);
    expect(s.QUEUE_MODE).toBe('servicebus');
    expect(s.ServiceBusConnection).toBeUndefined();
    expect(s.ServiceBusConnection__fullyQualifiedNamespace).toBe(DUMMY.serviceBusFqdn);
    expect(s.KEY_VAULT_URI).toBe(DUMMY.keyVaultUri);
    expect(s.LOCAL_SECRETS_FILE).toBeUndefined();
    // The code picks the user-assigned identity by this client id (createServices).
    expect(s.AZURE_CLIENT_ID).toBe(DUMMY.identityClientId);
    // Subscriptions on: Graph notifies the app's own https root.
    expect(s.PUBLIC_BASE_URL).toBe(`https://${DUMMY.functionAppHostName}`);
  });

  it('the validation catches a missing required setting (the check above can fail)', () => {
    const { KEY_VAULT_URI: _, ...withoutVault } = resolvedSettings();
    expect(AppSettingsSchema.safeParse(withoutVault).success).toBe(false);
    const { AzureWebJobsStorage__tableServiceUri: __, ...withoutTables } = resolvedSettings();
    expect(AppSettingsSchema.safeParse(withoutTables).success).toBe(false);
  });

  it('the telemetry settings give the in-process exporter the identity (shared/platform/telemetry)', async () => {
    const telemetry = 'shared/platform/telemetry/startTelemetry.ts';
    if (!existsSync(join(ROOT, telemetry))) return; // no in-process exporter: the host alone sends telemetry
    const { azureMonitorOptions } = (await import(`../../${telemetry.replace(/\.ts$/, '')}`)) as {
      azureMonitorOptions: (
        env: Record<string, string>,
      ) => { azureMonitorExporterOptions?: { connectionString?: string; credential?: unknown } } | undefined;
    };
    const exporter = azureMonitorOptions(resolvedSettings())?.azureMonitorExporterOptions;
    expect(exporter?.connectionString).toBe(DUMMY.applicationInsightsConnectionString);
    // Application Insights has local auth off: without a credential the exporter's data would be refused.
    expect(exporter?.credential).toBeDefined();
  });

  it('every setting is one the code, the host or a binding reads (no typos, nothing stale)', () => {
    const hostStorage = /^AzureWebJobsStorage__(credential|clientId|blobServiceUri|queueServiceUri|tableServiceUri)$/;
    const connection = new RegExp(`^(${bindingConnections.join('|')})__(fullyQualifiedNamespace|credential|clientId)$`);
    const telemetry = /^APPLICATIONINSIGHTS_(CONNECTION_STRING|AUTHENTICATION_STRING)$/;
    const known = (name: string) =>
      schemaKeys.includes(name) ||
      /^SUBSCRIPTION_LIFETIME_MINUTES_[A-Z][A-Z0-9]*$/.test(name) ||
      envReadsOutsideSchema().includes(name) ||
      bindingExpressions.includes(name) ||
      hostStorage.test(name) ||
      connection.test(name) ||
      telemetry.test(name);
    expect(Object.keys(settings).filter((name) => !known(name))).toEqual([]);
    expect(envReadsOutsideSchema()).toEqual(['LOG_FORMAT']);
  });

  it('every binding connection is identity-based, and every %setting% a binding names is set', () => {
    expect(bindingConnections).toEqual(['ServiceBusConnection']);
    for (const conn of bindingConnections) {
      expect(settings).not.toHaveProperty(conn);
      expect(settings[`${conn}__fullyQualifiedNamespace`]).toBe('{{serviceBusFqdn}}');
      expect(settings[`${conn}__credential`]).toBe('managedidentity');
      expect(settings[`${conn}__clientId`]).toBe('{{identityClientId}}');
    }
    expect(bindingExpressions).toEqual(['ServiceBusQueueName']);
    for (const name of bindingExpressions) expect(settings[name]).toEqual(expect.any(String));
  });

  it('host storage is identity-based (blob for the host; tables for the connector)', () => {
    expect(settings).not.toHaveProperty('AzureWebJobsStorage');
    expect(settings.AzureWebJobsStorage__credential).toBe('managedidentity');
    expect(settings.AzureWebJobsStorage__clientId).toBe('{{identityClientId}}');
    expect(settings.AzureWebJobsStorage__blobServiceUri).toBe('{{storageBlobEndpoint}}');
    expect(settings.AzureWebJobsStorage__tableServiceUri).toBe('{{storageTableEndpoint}}');
    expect(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe('ClientId={{identityClientId}};Authorization=AAD');
  });

  it('holds no secret, no connection string, and nothing Flex Consumption refuses', () => {
    const secretLike =
      /AccountKey=|SharedAccessKey|SharedAccessSignature|DefaultEndpointsProtocol|Endpoint=sb:\/\/|UseDevelopmentStorage|password|clientSecret|secret=/i;
    expect(Object.entries(settings).filter(([name, value]) => secretLike.test(`${name}=${String(value)}`))).toEqual([]);
    expect(Object.keys(settings).filter((name) => /password|secret|token|_KEY$/i.test(name))).toEqual([]);
    // Flex Consumption sets the runtime in functionAppConfig.runtime and deploys from a blob container.
    for (const name of [
      'FUNCTIONS_WORKER_RUNTIME',
      'FUNCTIONS_EXTENSION_VERSION',
      'WEBSITE_NODE_DEFAULT_VERSION',
      'WEBSITE_RUN_FROM_PACKAGE',
      'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
      'WEBSITE_CONTENTSHARE',
      'AzureWebJobsStorage',
      'ServiceBusConnection',
      'LOCAL_SECRETS_FILE',
    ])
      expect(settings).not.toHaveProperty(name);
    // The only connection string is Application Insights' (an ingestion address; sending needs the identity).
    expect(Object.keys(settings).filter((name) => /CONNECTION_STRING/.test(name))).toEqual(['APPLICATIONINSIGHTS_CONNECTION_STRING']);
  });

  it('the secret check catches a connection string (it can fail)', () => {
    const secretLike = /AccountKey=|SharedAccessKey/i;
    expect(secretLike.test('Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=b')).toBe(true);
  });
});

describe('infra/app/appSettings.json: the identity’s roles', () => {
  const ROLE = {
    storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
    storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
    storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
    serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
    serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
    keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
    keyVaultCertificateUser: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
    keyVaultCertificatesOfficer: 'a4417e6f-fecd-4de8-b567-7b0420556985',
    keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424',
    monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  };

  /** The roles the code needs, each derived from what it does (role id → scope). */
  function neededRoles(): Record<string, string> {
    const needed: Record<string, string> = {};
    const sources = (...paths: string[]) => paths.map(read).join('\n');
    // The host keeps timer schedules, locks and keys in blobs; Flex Consumption reads the package from a container.
    if (settings.AzureWebJobsStorage__blobServiceUri && /UserAssignedIdentity/.test(read('infra/app/api.bicep')))
      needed[ROLE.storageBlobDataOwner] = 'storage';
    // Only blob/queue triggers or Durable Functions use host queues; identity-based, they come with the setting.
    if (settings.AzureWebJobsStorage__queueServiceUri) needed[ROLE.storageQueueDataContributor] = 'storage';
    // The connector's tables: created, read and written with the identity.
    if (
      /@azure\/data-tables/.test(sources('shared/platform/tables/createTableClients.ts')) &&
      settings.AzureWebJobsStorage__tableServiceUri
    )
      needed[ROLE.storageTableDataContributor] = 'storage';
    // Jobs are sent by the code and received by the syncWorker trigger.
    if (/\.sendMessages\(/.test(sources('shared/platform/queue/ServiceBusJobQueue.ts'))) needed[ROLE.serviceBusDataSender] = 'serviceBus';
    if (functionSources.some((s) => /\bapp\.serviceBusQueue\(/.test(s))) needed[ROLE.serviceBusDataReceiver] = 'serviceBus';
    // Secrets: the store writes, deletes and recovers (Officer); reading alone would be Secrets User.
    const store = sources('shared/platform/secrets/KeyVaultSecretStore.ts');
    if (/\.(setSecret|beginDeleteSecret|beginRecoverDeletedSecret)\(/.test(store)) needed[ROLE.keyVaultSecretsOfficer] = 'keyVault';
    else if (/\.getSecret\(/.test(store)) needed[ROLE.keyVaultSecretsUser] = 'keyVault';
    // Certificates: making and renewing them (the connector's own Graph certificates) needs Certificates Officer;
    // only reading them would be Certificate User. Private keys are read through the backing secret (above).
    const certificates = sources('shared/platform/certificates/KeyVaultCertificateStore.ts');
    if (/\.beginCreateCertificate\(/.test(certificates)) needed[ROLE.keyVaultCertificatesOfficer] = 'keyVault';
    else if (productionImports('@azure/keyvault-certificates')) needed[ROLE.keyVaultCertificateUser] = 'keyVault';
    // Keys: wrapping and unwrapping the tenants' data keys needs Crypto User; the deployment creates the key
    // (keyvault.bicep), so the identity never needs to create one (Crypto Officer).
    if (/\.(wrapKey|unwrapKey)\(/.test(sources('shared/platform/keys/KeyVaultKeyWrapper.ts'))) needed[ROLE.keyVaultCryptoUser] = 'keyVault';
    // Telemetry with Entra auth (local auth is off on Application Insights).
    if (/Authorization=AAD/.test(String(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING)))
      needed[ROLE.monitoringMetricsPublisher] = 'applicationInsights';
    return needed;
  }

  /** Whether code that runs in Azure (functions/, shared/ except the local host) imports a package. */
  function productionImports(pkg: string): boolean {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory() && path !== 'shared/platform/local') walk(path);
        else if (entry.name.endsWith('.ts')) files.push(path);
      }
    };
    walk('functions');
    walk('shared');
    return files.some((path) => read(path).includes(`'${pkg}'`));
  }

  it('assigns exactly the roles the code needs, each at its resource', () => {
    const assigned = Object.fromEntries(config.roleAssignments.map((r) => [r.roleDefinitionId, r.scope]));
    expect(config.roleAssignments).toHaveLength(Object.keys(assigned).length);
    expect(assigned).toEqual(neededRoles());
  });

  it('never a broad role (Owner, Contributor, Data Owner of Service Bus, Key Vault Administrator)', () => {
    const broad = [
      '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', // Owner
      'b24988ac-6180-42a0-ab88-20f7382dd24c', // Contributor
      '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', // User Access Administrator
      '090c5cfd-751d-490a-894a-3ce6f1109419', // Azure Service Bus Data Owner
      '00482a5a-887f-4fb3-b363-3b7fe8e74483', // Key Vault Administrator
      '17d1049b-9a84-46fb-8f53-869881c3d3ab', // Storage Account Contributor
    ];
    expect(config.roleAssignments.filter((r) => broad.includes(r.roleDefinitionId))).toEqual([]);
  });

  it('each role says why, and its scope is one rbac.bicep assigns at', () => {
    const scopes = [...read('infra/app/rbac.bicep').matchAll(/g\.role\.scope == '(\w+)'/g)].map((m) => m[1]!);
    expect(scopes.sort()).toEqual(['applicationInsights', 'keyVault', 'serviceBus', 'storage']);
    for (const role of config.roleAssignments) {
      expect(role.roleDefinitionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(scopes).toContain(role.scope);
      expect(role.why.length).toBeGreaterThan(20);
    }
  });
});

/** `module <symbol> '<path>' = … { … params: { <key>: … } … }` blocks of a Bicep file. */
function bicepModules(file: string): { symbol: string; path: string; params: string[] }[] {
  const text = readFileSync(file, 'utf8');
  const modules: { symbol: string; path: string; params: string[] }[] = [];
  for (const m of text.matchAll(/^module (\w+) '([^']+)' = [^\n]*\{\n([\s\S]*?)\n\}/gm)) {
    const params = /^ {2}params: \{\n([\s\S]*?)\n {2}\}/m.exec(m[3]!);
    modules.push({ symbol: m[1]!, path: m[2]!, params: params ? [...params[1]!.matchAll(/^ {4}(\w+):/gm)].map((p) => p[1]!) : [] });
  }
  return modules;
}

/** `param <name> <type> [= default]` lines of a Bicep file. */
function bicepParams(file: string): { name: string; required: boolean }[] {
  return [...readFileSync(file, 'utf8').matchAll(/^param (\w+) \w+( =)?/gm)].map((m) => ({ name: m[1]!, required: !m[2] }));
}

const bicepOutputs = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^output (\w+) /gm)].map((m) => m[1]!);

describe('infra/*.bicep (not compiled here: these checks stand in for the compiler)', () => {
  const main = join(INFRA, 'main.bicep');
  const bicepFiles = [
    main,
    ...readdirSync(join(INFRA, 'app'))
      .filter((n) => n.endsWith('.bicep'))
      .map((n) => join(INFRA, 'app', n)),
  ];

  it('every module path and every loadJsonContent file exists', () => {
    expect(bicepModules(main).length).toBeGreaterThanOrEqual(8);
    for (const file of bicepFiles) {
      for (const module of bicepModules(file)) expect(existsSync(resolve(dirname(file), module.path)), module.path).toBe(true);
      for (const m of readFileSync(file, 'utf8').matchAll(/loadJsonContent\('([^']+)'\)/g))
        expect(existsSync(resolve(dirname(file), m[1]!)), m[1]).toBe(true);
    }
  });

  it('each module gets only the parameters it declares, and every one it requires', () => {
    for (const module of bicepModules(main)) {
      const declared = bicepParams(resolve(INFRA, module.path));
      expect(
        module.params.filter((p) => !declared.some((d) => d.name === p)),
        module.symbol,
      ).toEqual([]);
      expect(
        declared.filter((d) => d.required && !module.params.includes(d.name)).map((d) => d.name),
        module.symbol,
      ).toEqual([]);
    }
  });

  it('every module output main.bicep uses is declared by the module', () => {
    const text = readFileSync(main, 'utf8');
    const modules = new Map(bicepModules(main).map((m) => [m.symbol, resolve(INFRA, m.path)]));
    const used = [...text.matchAll(/\b(\w+)\.outputs\.(\w+)/g)];
    expect(used.length).toBeGreaterThan(10);
    for (const [, symbol, output] of used) {
      expect(modules.has(symbol!), symbol).toBe(true);
      expect(bicepOutputs(modules.get(symbol!)!), `${symbol}.outputs.${output}`).toContain(output);
    }
  });

  it('main.parameters.json sets only parameters main.bicep declares, and every required one', () => {
    const parameters = Object.keys((JSON.parse(read('infra/main.parameters.json')) as { parameters: object }).parameters);
    const declared = bicepParams(main);
    expect(parameters.filter((p) => !declared.some((d) => d.name === p))).toEqual([]);
    expect(declared.filter((d) => d.required && !parameters.includes(d.name)).map((d) => d.name)).toEqual([]);
    expect(read('infra/main.bicep')).toMatch(/^targetScope = 'subscription'$/m);
  });

  it('the settings and the roles are read from appSettings.json, and the queue name too', () => {
    expect(read('infra/app/api.bicep')).toContain("loadJsonContent('./appSettings.json').settings");
    expect(read('infra/app/rbac.bicep')).toContain("loadJsonContent('./appSettings.json').roleAssignments");
    expect(read('infra/main.bicep')).toContain("loadJsonContent('./app/appSettings.json')");
    expect(read('infra/main.bicep')).toMatch(/var serviceBusQueueName = appConfig\.settings\.ServiceBusQueueName/);
    expect(read('infra/main.bicep')).toMatch(/^ {4}queueName: serviceBusQueueName$/m);
    // No app setting is written anywhere else (the sites/config 'appsettings' resource, or siteConfig.appSettings).
    const writesSettings = /'appsettings'|^\s*appSettings:/im;
    expect(read('infra/app/api.bicep')).toMatch(writesSettings);
    for (const file of bicepFiles.filter((f) => !f.endsWith('api.bicep'))) expect(readFileSync(file, 'utf8')).not.toMatch(writesSettings);
  });

  it('the queue: sessions, duplicate detection longer than any notification coalescing, dead-lettering', () => {
    const bicep = read('infra/app/servicebus.bicep');
    expect(bicep).toMatch(/requiresSession: true/);
    expect(bicep).toMatch(/requiresDuplicateDetection: true/);
    expect(bicep).toMatch(/deadLetteringOnMessageExpiration: true/);
    expect(bicep).toMatch(/maxDeliveryCount: 10/);
    expect(bicep).toMatch(/disableLocalAuth: true/);
    const window = /duplicateDetectionHistoryTimeWindow: 'PT(\d+)M'/.exec(bicep);
    expect(window).not.toBeNull();
    // NOTIFICATION_DEBOUNCE_MS is at most 60,000 ms (AppSettings.ts).
    expect(read('shared/config/AppSettings.ts')).toMatch(
      /NOTIFICATION_DEBOUNCE_MS: withDefault\(z\.coerce\.number\(\)\.int\(\)\.min\(100\)\.max\(60_000\)/,
    );
    expect(Number(window![1]) * 60_000).toBeGreaterThan(60_000);
  });

  it('Flex Consumption: Node of .nvmrc, always-ready http, identity deployment, no shared keys', () => {
    const api = read('infra/app/api.bicep');
    expect(api).toMatch(/name: 'FC1'\n\s*tier: 'FlexConsumption'/);
    expect(api).toContain("kind: 'functionapp,linux'");
    expect(api).toMatch(/runtime: \{\n\s*name: 'node'\n\s*version: '(\d+)'/);
    expect(/version: '(\d+)'/.exec(api)![1]).toBe(read('.nvmrc').trim().split('.')[0]);
    expect(api).toMatch(/alwaysReady: \[\n\s*\{\n\s*name: 'http'\n\s*instanceCount: 1/);
    expect(api).toMatch(/type: 'UserAssignedIdentity'/);
    expect(read('infra/app/storage.bicep')).toMatch(/allowSharedKeyAccess: false/);
    const vault = read('infra/app/keyvault.bicep');
    for (const property of ['enableRbacAuthorization', 'enableSoftDelete', 'enablePurgeProtection'])
      expect(vault).toContain(`${property}: true`);
  });

  it('the alerts name the functions they watch as the code registers them', () => {
    const alerts = read('infra/app/alerts.bicep');
    expect(webhookRoutes.map((r) => r.name)).toEqual(['graphNotifications', 'graphLifecycle']);
    for (const route of webhookRoutes) expect(alerts).toContain(`"${route.name}"`);
    expect(triggeredFunctionNames.sort()).toEqual(['purgeRunChanges', 'renewSubscriptions', 'scheduledSync', 'syncWorker']);
    for (const name of triggeredFunctionNames) expect(alerts).toContain(`"${name}"`);
    expect(alerts).toContain("'DeadletteredMessages'");
    expect(read('shared/app/processSyncJob.ts')).toContain("logger.error('run failed'");
    expect(alerts).toContain('== "run failed"');
  });
});

describe('azure.yaml', () => {
  const yaml = read('azure.yaml');

  it('names the service main.bicep tags, hosted as a TypeScript function app', () => {
    const service = /^services:\n {2}(?:#.*\n {2})*(\w+):\n/m.exec(yaml);
    expect(service?.[1]).toBe('api');
    const api = read('infra/app/api.bicep');
    expect(api).toMatch(new RegExp(`^param serviceName string = '${service![1]}'$`, 'm'));
    expect(api).toContain("tags: union(tags, { 'azd-service-name': serviceName })");
    expect(yaml).toMatch(/^ {4}project: \.$/m);
    expect(yaml).toMatch(/^ {4}language: ts$/m);
    expect(yaml).toMatch(/^ {4}host: function$/m);
  });

  it('builds locally (remoteBuild: false): .funcignore ships dist/ and node_modules, not the sources', () => {
    const funcignore = read('.funcignore').split('\n');
    expect(yaml).toMatch(/^ {4}remoteBuild: false$/m);
    // A remote build would need the sources and tsconfig; this package has neither, but has node_modules.
    expect(funcignore).toContain('/shared/');
    expect(funcignore).toContain('tsconfig*.json');
    expect(funcignore.some((line) => /^\/?node_modules\/?$/.test(line))).toBe(false);
    const pkg = JSON.parse(read('package.json')) as { main: string; scripts: Record<string, string> };
    expect(pkg.main).toBe('dist/functions/*.js');
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json');
  });
});
