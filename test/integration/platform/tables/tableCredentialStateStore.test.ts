import { describe, expect, it } from 'vitest';
import { SHARED_APP_OWNER } from '../../../../shared/credentials/CredentialStateStore';
import { freshStores, rejection } from './storeTestTables';

const state = {
  certificate: {
    activeVersion: 'v2',
    keys: [
      { version: 'v1', thumbprint: 'AA', registeredBy: 'admin' as const, retiring: true },
      { version: 'v2', thumbprint: 'BB', keyId: 'key-2', registeredBy: 'connector' as const },
    ],
    lastCheckedAt: '2027-01-01T00:00:00.000Z',
    lastOutcome: 'signs in with BB',
  },
  consent: { directoryId: 'dir-1', consentedAt: '2027-01-01T00:00:00.000Z' },
};

describe('TableCredentialStateStore', () => {
  it('keeps each owner’s state (a tenant, the shared app) and reads back exactly what was written', async () => {
    const { credentialStates } = await freshStores();
    expect(await credentialStates.get('acme')).toBeUndefined();
    const etag = await credentialStates.put('acme', state);
    await credentialStates.put(SHARED_APP_OWNER, { certificate: { keys: [] } });
    expect(await credentialStates.get('acme')).toEqual({ state, etag });
    expect((await credentialStates.get(SHARED_APP_OWNER))?.state).toEqual({ certificate: { keys: [] } });
  });

  it('writes conditionally: a create over an existing row and a stale etag are PRECONDITION_FAILED', async () => {
    const { credentialStates } = await freshStores();
    const first = await credentialStates.put('acme', { certificate: { keys: [] } });
    await rejection(credentialStates.put('acme', state), 'PRECONDITION_FAILED');
    const second = await credentialStates.put('acme', state, first);
    expect(second).not.toBe(first);
    await rejection(credentialStates.put('acme', { certificate: { keys: [] } }, first), 'PRECONDITION_FAILED');
    expect((await credentialStates.get('acme'))?.state).toEqual(state);
  });

  it('deletes (idempotently), and reports an unreadable row as INTERNAL', async () => {
    const { credentialStates, rawTable } = await freshStores();
    await credentialStates.put('acme', state);
    await credentialStates.delete('acme');
    await credentialStates.delete('acme');
    expect(await credentialStates.get('acme')).toBeUndefined();
    await rawTable('credentialstate').createEntity({ partitionKey: 'beta', rowKey: 'graph', state: '{"certificate":{"keys":"no"}}' });
    await rejection(credentialStates.get('beta'), 'INTERNAL');
  });
});
