import { ThreeCxConfigSchema } from '../../../../shared/config/TenantConfig';
import { createThreeCxConnection } from '../../../../shared/pbx/threecx/createThreeCxConnection';
import { BASE_URL, CLIENT_SECRET, type fakeXapi } from './fakeXapi';

/** A 3CX connection whose fetch is the fake. */
export function connectionOver(fake: ReturnType<typeof fakeXapi>) {
  const config = ThreeCxConfigSchema.parse({ kind: '3cx', baseUrl: BASE_URL, clientId: '900', rateLimitPerMinute: 600_000 });
  return createThreeCxConnection(config, { clientSecret: CLIENT_SECRET, origin: BASE_URL }, { fetch: fake.fetch });
}
