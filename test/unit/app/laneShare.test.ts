import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { laneShare } from '../../../shared/app/laneShare';
import { TenantConfigSchema } from '../../../shared/config/TenantConfig';
import { type Feature } from '../../../shared/features/Feature';
import { FeatureRegistry } from '../../../shared/features/FeatureRegistry';
import { usersFeature } from '../../../shared/features/users/usersFeature';

const config = (realtimeShare?: number) =>
  TenantConfigSchema.parse({
    displayName: 'x',
    microsoft365: {
      directoryId: '11111111-1111-4111-8111-111111111111',
      applicationId: '22222222-2222-4222-8222-222222222222',
      auth: { kind: 'clientSecret' },
    },
    pbx: { kind: 'portsip', baseUrl: 'https://pbx.example.com', domain: 'd', realtimeShare },
  });

const realtimeFeature = (on: boolean): Feature =>
  ({
    manifest: { name: 'presenceLike', lane: 'realtime', options: z.object({}) },
    optionsFor: () => (on ? {} : undefined),
    reconcileOnSchedule: false,
    subscriptions: () => [],
    sync: () => Promise.reject(new Error('not run here')),
  }) satisfies Feature;

describe('laneShare', () => {
  it('gives the directory lane the whole PBX budget while no realtime feature is on', () => {
    const features = new FeatureRegistry([usersFeature, realtimeFeature(false)]);
    expect(laneShare(config(), 'directory', features)).toBe(1);
  });

  it('splits the budget by realtimeShare when both lanes have features on', () => {
    const features = new FeatureRegistry([usersFeature, realtimeFeature(true)]);
    expect(laneShare(config(), 'realtime', features)).toBeCloseTo(0.2);
    expect(laneShare(config(), 'directory', features)).toBeCloseTo(0.8);
    expect(laneShare(config(0.35), 'directory', features)).toBeCloseTo(0.65);
  });
});
