import { describe } from 'vitest';
import { PortSipSandbox } from '../../../sandbox/portsip';
import { PbxConfigSchema } from '../../../shared/config/TenantConfig';
import { createPbxConnection } from '../../../shared/pbx/createPbxConnection';
import { pbxUsersContract } from './pbxUsersContract';

describe('the users port on PortSIP (adapter over the PortSIP sandbox)', () => {
  pbxUsersContract(async () => {
    const pbx = await PortSipSandbox.start({ rateLimitPerMinute: 600_000 });
    const config = PbxConfigSchema.parse({
      kind: 'portsip',
      baseUrl: pbx.baseUrl,
      domain: pbx.credentials.domain,
      rateLimitPerMinute: 600_000,
    });
    const { username, password } = pbx.credentials;
    const connection = await createPbxConnection(config, { username, password, origin: new URL(pbx.baseUrl).origin });
    return {
      users: connection.users,
      profile: connection.profile,
      keptFields: ['displayName', 'email', 'mobilePhone', 'workPhone', 'department', 'enabled'],
      numberOf: (n) => String(1000 + n),
      addNonUserNumber: (number, name) => pbx.addNumberHolder(number, 'RING_GROUP', name),
      throttleNext: (count, seconds) => pbx.faults.throttleNext(count, seconds),
      failNext: (count, status) => pbx.faults.failNext(count, status),
      stop: () => pbx.stop(),
    };
  });
});
