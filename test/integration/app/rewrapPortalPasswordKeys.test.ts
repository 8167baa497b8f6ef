import { describe, expect, it } from 'vitest';
import { rewrapPortalPasswordKeys } from '../../../shared/app/rewrapPortalPasswordKeys';
import { type LocalKeyWrapper } from '../../../shared/platform/keys/LocalKeyWrapper';
import { capturingLogger } from '../../support/capturingLogger';
import { createTestServices } from '../../support/testServices';

describe('rewrapPortalPasswordKeys (the maintenance timer)', () => {
  it('after the key rotates, wraps every tenant data key with the new version; the passwords still open', async () => {
    const services = await createTestServices();
    const key = services.portalPasswordKey as LocalKeyWrapper;
    await services.portalPasswords!.forTenant('contoso').reserve('ada', () => 'Kept-Pass-1!');
    await services.portalPasswords!.forTenant('fabrikam').reserve('bob', () => 'Kept-Pass-2!');
    const log = capturingLogger();

    await rewrapPortalPasswordKeys(services, log.logger);
    expect(log.records).toEqual([]); // nothing to do: one key read, one query

    const rotated = await key.rotate();
    expect((await services.tenantDataKeys.pageNotWrappedWith(rotated, { pageSize: 10 })).keys).toHaveLength(2);
    await rewrapPortalPasswordKeys(services, log.logger);
    expect((await services.tenantDataKeys.pageNotWrappedWith(rotated, { pageSize: 10 })).keys).toHaveLength(0);
    expect(log.records).toEqual([
      expect.objectContaining({ message: expect.stringContaining('re-wrapped'), fields: expect.objectContaining({ rewrapped: 2 }) }),
    ]);
    expect((await services.portalPasswords!.forTenant('contoso').get('ada'))?.password).toBe('Kept-Pass-1!');
    expect(JSON.stringify(log.records)).not.toContain('Kept-Pass');
  });

  it('logs a failure instead of throwing, so the timer goes on', async () => {
    const services = await createTestServices();
    await services.portalPasswords!.forTenant('contoso').reserve('ada', () => 'Kept-Pass-1!');
    const log = capturingLogger();
    const broken = {
      ...services,
      portalPasswordKey: { ...services.portalPasswordKey!, currentKeyId: () => Promise.reject(new Error('vault unreachable')) },
    };
    await rewrapPortalPasswordKeys(broken, log.logger);
    expect(log.records).toEqual([
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ error: 'vault unreachable' }) }),
    ]);
  });
});
