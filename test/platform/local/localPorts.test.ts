import { describe, expect, it } from 'vitest';
import { LOCAL_PORTS, localPorts } from '../../../shared/platform/local/localPorts';
import { portInUseMessage } from '../../../shared/platform/local/portInUse';

describe('localPorts', () => {
  it('defaults every port', () => {
    expect(localPorts({})).toEqual({ PORT: 7071, SANDBOX_GRAPH_PORT: 7081, SANDBOX_PBX_PORT: 7082, AZURITE_TABLE_PORT: 10002 });
    expect(Object.keys(LOCAL_PORTS)).toEqual(['PORT', 'SANDBOX_GRAPH_PORT', 'SANDBOX_PBX_PORT', 'AZURITE_TABLE_PORT']);
  });

  it('reads the variables, a blank one meaning the default', () => {
    expect(localPorts({ PORT: '8080', SANDBOX_GRAPH_PORT: ' 9001 ', SANDBOX_PBX_PORT: '', AZURITE_TABLE_PORT: '65535' })).toEqual({
      PORT: 8080,
      SANDBOX_GRAPH_PORT: 9001,
      SANDBOX_PBX_PORT: 7082,
      AZURITE_TABLE_PORT: 65535,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70.5'],
    ['SANDBOX_GRAPH_PORT', '-1'],
    ['SANDBOX_PBX_PORT', '0'],
    ['AZURITE_TABLE_PORT', '65536'],
    ['AZURITE_TABLE_PORT', '1e4'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(() => localPorts({ [variable]: value })).toThrow(new RegExp(`^${variable} must be (a whole number )?from 1 to 65535$`));
  });

  it('refuses two services on one port', () => {
    expect(() => localPorts({ SANDBOX_PBX_PORT: '7071' })).toThrow('PORT and SANDBOX_PBX_PORT are both 7071; give each its own port');
  });

  it('says how to move a busy port', () => {
    expect(portInUseMessage(7071, 'PORT')).toBe('port 7071 is in use (PORT); stop what uses it or set PORT=<free port>');
  });
});
