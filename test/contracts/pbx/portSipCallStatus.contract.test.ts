import { afterEach, describe, expect, it } from 'vitest';
import { type PbxAccount } from '../../../shared/pbx/ports/PbxAccount';
import { PortSipSandbox } from '../../../sandbox/portsip';
import { recordingPortSipClient } from '../../support/recordingPortSipClient';

let pbx: PortSipSandbox | undefined;
afterEach(async () => {
  await pbx?.stop();
  pbx = undefined;
});

describe.each(['22.1', '22.3'] as const)('PortSipPresence.callStatus against the sandbox speaking PortSIP API %s', (apiVersion) => {
  it('reads onCall while a call lasts and idle before and after it, whatever status the user chose', async () => {
    pbx = await PortSipSandbox.start({ apiVersion });
    const presence = recordingPortSipClient(pbx).client.presence();
    const carol = pbx.addUser({ name: 'carol', extension_number: '1003', email: 'carol@contoso.com' });
    const account: PbxAccount = { id: carol.id, userName: 'carol' };

    expect(await presence.callStatus(account)).toBe('idle');
    pbx.setCallInProgress(carol.id, true);
    expect(await presence.callStatus(account)).toBe('onCall');
    pbx.setCallInProgress(carol.id, false);
    expect(await presence.callStatus(account)).toBe('idle');

    pbx.setPresenceByHand(carol.id, 'DO_NOT_DISTURB');
    expect(await presence.callStatus(account)).toBe('idle');
  });
});

describe('PortSipPresence.callStatus on answers the sandbox does not give', () => {
  /** A client whose `/status` answers carry `fields` instead of what the sandbox said. */
  async function presenceShowing(fields: Record<string, unknown>) {
    pbx = await PortSipSandbox.start();
    const rewriting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!new URL(input).pathname.endsWith('/status')) return response;
      const body = { ...((await response.json()) as Record<string, unknown>), ...fields };
      return new Response(JSON.stringify(body), { status: response.status, headers: { 'content-type': 'application/json' } });
    };
    const carol = pbx.addUser({ name: 'carol', extension_number: '1003', email: 'carol@contoso.com' });
    return { presence: recordingPortSipClient(pbx, { fetch: rewriting }).client.presence(), account: { id: carol.id, userName: 'carol' } };
  }

  it.each([
    [{ status: 'OFFLINE', presence: 'OFFLINE' }, 'unknown'],
    [{ status: 'OFFLINE', presence: 'ONLINE' }, 'unknown'],
    [{ status: 'ONLINE', presence: 'RINGING' }, 'onCall'],
    [{ status: 'ONLINE', presence: 'OTHER_CALL' }, 'onCall'],
    [{ status: 'OTHER_CALL', presence: 'AWAY' }, 'onCall'],
    [{ status: 'ON_CALL', presence: null }, 'onCall'],
    [{ status: null, presence: null }, 'idle'],
    [{ status: 'SOMETHING_NEW', presence: 'IN_A_MEETING' }, 'idle'],
  ] as const)('reads %o as %s', async (fields, expected) => {
    const { presence, account } = await presenceShowing(fields);
    expect(await presence.callStatus(account)).toBe(expected);
  });
});
