import { type EntitySetShape, contextUrl, parseSelect, project } from './odataQuery';
import { type XapiContext, type XapiRoute } from './XapiRoute';

/** A singleton or function result answered with `$select` over its own properties. */
function singleton(baseUrl: string, name: string, row: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
  const shape: EntitySetShape = { name, typeName: name.startsWith('Pbx.') ? name : `Pbx.${name}`, properties: new Set(Object.keys(row)) };
  const select = parseSelect(query.get('$select'), shape);
  return { '@odata.context': contextUrl(baseUrl, name, select), ...project(row, select) };
}

/**
 * What a client probes before syncing: version and licence (XAPI needs Enterprise), the extension length, and
 * whether 3CX's own Microsoft 365 user sync is on (it would fight the connector). Values other than the ones the
 * sandbox's options control are plausible placeholders in the spec's shapes.
 */
export function probeRoutes({ baseUrl, directory, settings }: XapiContext): XapiRoute[] {
  const license = () => ({
    CountryCode: 'US',
    IsBrandingEnabled: false,
    IsCfdEnabled: true,
    IsEnterprise: settings.enterprise,
    IsMaintainceExpired: false,
    IsProfessional: !settings.enterprise,
    MaxSimCalls: 16,
    ProductCode: settings.enterprise ? '3CXPSENT16SC' : '3CXPSPROF16SC',
  });
  return [
    {
      method: 'GET',
      pattern: /^\/SystemStatus$/,
      name: 'GET /SystemStatus',
      handle: ({ query }) => {
        const users = directory.users.size;
        const row = {
          Id: 1,
          Version: settings.version,
          Activated: true,
          LicenseActive: true,
          LicenseKey: 'SAND-BOX0-0000-0000',
          ProductCode: license().ProductCode,
          MaxSimCalls: 16,
          MaxUserExtensions: 100,
          UserExtensions: users,
          ExtensionsTotal: users + directory.otherDns.size,
          ExtensionsRegistered: 0,
          CallsActive: 0,
          TrunksTotal: 0,
          TrunksRegistered: 0,
          FQDN: 'sandbox.3cx.local',
          Ip: '127.0.0.1',
          IpV4: '127.0.0.1',
          IpV6: '',
          OS: 'Linux',
          ExpirationDate: '2099-12-31T00:00:00Z',
          MaintenanceExpiresAt: '2099-12-31T00:00:00Z',
          AutoUpdateEnabled: false,
          Support: true,
          ResellerName: 'Sandbox',
          HasNotRunningServices: false,
          HasUnregisteredSystemExtensions: false,
          DBMaintenanceInProgress: false,
        };
        return { status: 200, body: singleton(baseUrl, 'SystemStatus', row, query) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/Defs\/Pbx\.GetLicenseParameters\(\)$/,
      name: 'GET /Defs/Pbx.GetLicenseParameters()',
      handle: ({ query }) => ({ status: 200, body: singleton(baseUrl, 'Pbx.License', license(), query) }),
    },
    {
      method: 'GET',
      pattern: /^\/Defs\/Pbx\.GetSystemParameters\(\)$/,
      name: 'GET /Defs/Pbx.GetSystemParameters()',
      handle: ({ query }) => {
        const row = {
          ENL: directory.extensionLength,
          // ⚠ What ENLRange bounds (allowed lengths, or numbers) is unverified; the sandbox pins it to ENL.
          ENLRange: { From: directory.extensionLength, To: directory.extensionLength },
          Version: settings.version,
          FQDN: 'sandbox.3cx.local',
          GlobalLanguage: 'EN',
          IsMulticompanyMode: false,
          IsHosted: false,
          IsHosted3CX: false,
          Custom1Name: 'Custom 1',
          Custom2Name: 'Custom 2',
          HttpsPort: 5001,
          SipPort: 5060,
          License: license(),
        };
        return { status: 200, body: singleton(baseUrl, 'Pbx.SystemParameters', row, query) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/Microsoft365Integration$/,
      name: 'GET /Microsoft365Integration',
      handle: ({ query }) => {
        const row = {
          Id: 1,
          ApplicationId: directory.nativeM365Sync ? '00000000-0000-0000-0000-000000003cx0' : '',
          TenantId: directory.nativeM365Sync ? '00000000-0000-0000-0000-00000000c0de' : '',
          AdUsers: {
            IsEnabled: directory.nativeM365Sync,
            EnableSSO: false,
            IsSyncDepartments: false,
            IsSyncDetails: false,
            IsSyncOfficePhone: false,
            IsSyncPhoto: false,
            SelectedGroups: [],
            SelectedUsers: [],
            SetTeamsPresence: false,
            StartingExtensionNumber: '',
            StatusSyncConfiguration: { M365ToPbxBindings: [], PBXToM365Bindings: [], PBXToM365Busy: false },
            SyncEvents: false,
            SyncGuestUsers: false,
            SyncPersonalContacts: false,
            SyncType: 'SyncAllUsers',
          },
          SharedMailboxesSync: { IsEnabled: false, SelectedUsers: [], SyncType: 'SyncSelected' },
        };
        return { status: 200, body: singleton(baseUrl, 'Microsoft365Integration', row, query) };
      },
    },
  ];
}
