import { describe, expect, it } from 'vitest';
import { deltaDemandGenerationOf, deltaDemandJobId } from '../../../../shared/app/jobs/deltaDemandJobId';
import { FeatureSyncJobSchema } from '../../../../shared/app/jobs/SyncJob';

describe('deltaDemandJobId', () => {
  it('one id per tenant, feature, epoch and generation, read back by the worker', () => {
    const id = deltaDemandJobId('contoso', 'users', { epoch: '0a0b0c0d', generation: 12 });
    expect(id).toBe('delta:contoso:users:0a0b0c0d-12');
    expect(deltaDemandGenerationOf({ jobId: id, tenantId: 'contoso', feature: 'users' })).toEqual({ epoch: '0a0b0c0d', generation: 12 });
    expect(deltaDemandJobId('contoso', 'users', { epoch: '0a0b0c0d', generation: 13 })).not.toBe(id);
    expect(deltaDemandJobId('fabrikam', 'users', { epoch: '0a0b0c0d', generation: 12 })).not.toBe(id);
  });

  it('fits the job id limit for the longest tenant and feature names and generation', () => {
    const id = deltaDemandJobId('t'.repeat(63), 'f'.repeat(32), { epoch: 'ffffffff', generation: Number.MAX_SAFE_INTEGER });
    expect(id).toHaveLength(128);
    expect(() =>
      FeatureSyncJobSchema.parse({
        kind: 'sync',
        jobId: id,
        tenantId: 't'.repeat(63),
        feature: 'f'.repeat(32),
        lane: 'directory',
        mode: 'delta',
        trigger: 'notification',
        requestedAt: new Date().toISOString(),
      }),
    ).not.toThrow();
  });

  it('other jobs carry no generation: manual runs, old window ids, another tenant or feature', () => {
    const of = (jobId: string, tenantId = 'contoso', feature = 'users') => deltaDemandGenerationOf({ jobId, tenantId, feature });
    expect(of('01HZX0Q9ABCDEF')).toBeUndefined();
    expect(of('delta:contoso:users:1795435200000')).toBeUndefined();
    expect(of('delta:contoso:users:0a0b0c0d-12', 'fabrikam')).toBeUndefined();
    expect(of('delta:contoso:users:0a0b0c0d-12', 'contoso', 'echo')).toBeUndefined();
    expect(of('delta:contoso:users:0a0b0c0d-0')).toBeUndefined();
    expect(of('delta:contoso:users:0a0b0c0d-99999999999999999')).toBeUndefined();
  });
});
