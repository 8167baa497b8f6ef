import { AppError, isAppError } from '../../core/errors/AppError';
import { LicenseSchema, Microsoft365IntegrationSchema, SystemParametersSchema, SystemStatusSchema } from './threeCxSchemas';
import { type ThreeCxTransport } from './ThreeCxTransport';
import { isThreeCxVersionAtLeast } from './threeCxVersion';

/** The oldest 3CX the adapter speaks to: `Users(Number=)` keys, `expires_in` in seconds, renamed contact actions. */
export const MINIMUM_THREECX_VERSION = '20.0.9';

export interface ThreeCxReadiness {
  /** e.g. "20.0.10.123". */
  version: string;
  /** The PBX's extension-number length (`ENL`), or undefined when 3CX did not give a usable one. */
  extensionLength: number | undefined;
}

/** ⚠ 3CX's UI allows 2 to 5 digits (and 20.0's ENL range up to 10); anything else is taken as "not given". */
const usableLength = (enl: number | null | undefined) => (typeof enl === 'number' && enl >= 2 && enl <= 10 ? enl : undefined);

/**
 * Whether this 3CX can be synced, and its extension length. Refuses with NOT_READY (the tenant must fix the
 * PBX; no retry helps) when the version is older than 20.0.9, the licence is not Enterprise (XAPI needs
 * one), or 3CX's own Microsoft 365 user sync is on: that nightly import re-creates users the connector
 * deletes and overwrites what it writes, so the two would fight. 4 requests; the SystemStatus and licence
 * answers also carry a licence key, which the schemas drop and nothing logs.
 */
export async function checkThreeCxReadiness(transport: ThreeCxTransport): Promise<ThreeCxReadiness> {
  const status = await transport.read(SystemStatusSchema, 'GET', '/SystemStatus', { what: 'reading the 3CX version' });
  const version = status.Version ?? '';
  const atLeast = isThreeCxVersionAtLeast(version, MINIMUM_THREECX_VERSION);
  if (atLeast !== true) {
    const have = version ? `3CX ${version}` : 'a 3CX that does not report its version';
    throw new AppError(
      'NOT_READY',
      `the PBX runs ${have}; the connector needs XAPI ${MINIMUM_THREECX_VERSION} or later: upgrade 3CX to ${MINIMUM_THREECX_VERSION} or later`,
    );
  }
  transport.notePbxVersion(version);

  const [licence, m365, parameters] = await Promise.all([
    transport.read(LicenseSchema, 'GET', '/Defs/Pbx.GetLicenseParameters()', { what: 'reading the 3CX licence' }),
    transport
      .read(Microsoft365IntegrationSchema, 'GET', '/Microsoft365Integration', { what: "reading 3CX's Microsoft 365 integration" })
      // ⚠ Assumed: a PBX that never set the integration up may answer 404; then its sync is off.
      .catch((err: unknown) => {
        if (isAppError(err, 'NOT_FOUND')) return { AdUsers: null };
        throw err;
      }),
    transport.read(SystemParametersSchema, 'GET', '/Defs/Pbx.GetSystemParameters()', { what: 'reading the 3CX extension length' }),
  ]);
  // ⚠ Only an explicit false refuses: a PBX whose licence answer lacks the flag still answered XAPI, which needs Enterprise.
  if (licence.IsEnterprise === false) {
    throw new AppError(
      'NOT_READY',
      'the 3CX licence is not Enterprise; XAPI needs an Enterprise licence (8SC+ ENT/AI or ENT+): upgrade the licence',
    );
  }
  if (m365.AdUsers?.IsEnabled === true) {
    throw new AppError(
      'NOT_READY',
      "3CX's own Microsoft 365 user sync is on (Admin → Integrations → Microsoft 365 → Sync users) and would fight the " +
        'connector (it re-creates users the connector deletes and overwrites their fields nightly): switch its user ' +
        'sync off, so the connector alone manages the extensions (each user then signs in as before)',
      { details: { syncType: m365.AdUsers.SyncType ?? undefined } },
    );
  }
  return { version, extensionLength: usableLength(parameters.ENL) };
}
