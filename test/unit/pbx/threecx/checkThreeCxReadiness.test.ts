import { describe, expect, it } from 'vitest';
import { refusal } from '../../../support/refusal';
import { connectionOver } from './connectionOver';
import { fakeXapi, rawUser } from './fakeXapi';

describe('the 3CX readiness probe', () => {
  it('does no I/O when the connection is built, then probes once before the first call', async () => {
    const fake = fakeXapi({ enl: 4 });
    fake.on('GET', /^\/xapi\/v1\/Users\(\d+\)$/, () => ({ status: 200, body: rawUser(1, '1001') }));
    const connection = connectionOver(fake);
    expect(fake.requests).toHaveLength(0);
    expect(connection.profile.extensionNumbers.maxLength).toBe(3);
    await Promise.all([connection.users.getUser('1'), connection.users.getUser('1')]);
    await connection.users.getUser('1');
    const probes = fake.xapiRequests().filter((r) => !r.url.startsWith('/xapi/v1/Users'));
    expect(probes.map((r) => r.url.split('?')[0]).sort()).toEqual([
      '/xapi/v1/Defs/Pbx.GetLicenseParameters()',
      '/xapi/v1/Defs/Pbx.GetSystemParameters()',
      '/xapi/v1/Microsoft365Integration',
      '/xapi/v1/SystemStatus',
    ]);
    // The profile now follows the PBX's extension length.
    expect(connection.profile.extensionNumbers).toMatchObject({ minLength: 4, maxLength: 4 });
  });

  it('refuses a 3CX older than 20.0.9 with NOT_READY, naming the upgrade', async () => {
    const connection = connectionOver(fakeXapi({ version: '20.0.8.1020' }));
    const err = await refusal(connection.ready(), 'NOT_READY');
    expect(err.message).toContain('upgrade 3CX to 20.0.9 or later');
    // The refusal is kept: the next call does not probe again.
    await refusal(connection.users.getUser('1'), 'NOT_READY');
  });

  it('refuses a licence that is not Enterprise', async () => {
    const err = await refusal(connectionOver(fakeXapi({ enterprise: false })).ready(), 'NOT_READY');
    expect(err.message).toContain('XAPI needs an Enterprise licence');
  });

  it("refuses while 3CX's own Microsoft 365 user sync is on", async () => {
    const err = await refusal(connectionOver(fakeXapi({ m365Sync: true })).ready(), 'NOT_READY');
    expect(err.message).toMatch(/own Microsoft 365 user sync is on.*would fight the connector.*switch its user sync off/);
  });

  it('probes again after a transient failure', async () => {
    const fake = fakeXapi({ version: '20.0.9.995' });
    fake.once('GET', /^\/xapi\/v1\/SystemStatus$/, () => ({ status: 500 }));
    const connection = connectionOver(fake);
    await refusal(connection.ready(), 'TRANSIENT');
    expect(await connection.ready()).toEqual({ version: '20.0.9.995', extensionLength: 3 });
  });
});
