import { describe } from 'vitest';
import { ThreeCxSandbox } from '../../../sandbox/threecx';
import { ThreeCxConfigSchema } from '../../../shared/config/TenantConfig';
import { createPbxConnection } from '../../../shared/pbx/createPbxConnection';
import { pbxUsersContract } from './pbxUsersContract';

describe('the users port on 3CX (adapter over the 3CX sandbox)', () => {
  pbxUsersContract(async () => {
    const pbx = await ThreeCxSandbox.start({ seed: 'empty' });
    const config = ThreeCxConfigSchema.parse({
      kind: '3cx',
      baseUrl: pbx.baseUrl,
      clientId: pbx.credentials.clientId,
      rateLimitPerMinute: 600_000,
    });
    const { clientId, clientSecret } = pbx.credentials;
    const connection = await createPbxConnection(config, {
      username: clientId,
      password: clientSecret,
      origin: new URL(pbx.baseUrl).origin,
    });
    return {
      users: connection.users,
      profile: connection.profile,
      keptFields: ['displayName', 'givenName', 'surname', 'email', 'mobilePhone', 'enabled'],
      numberOf: (n) => String(300 + n),
      addNonUserNumber: (number, name) => pbx.addNonUserDn(number, 'RingGroup', name),
      throttleNext: (count, seconds) => pbx.faults.throttleNext(count, seconds),
      failNext: (count, status) => pbx.faults.failNext(count, status),
      stop: () => pbx.stop(),
    };
  });
});
