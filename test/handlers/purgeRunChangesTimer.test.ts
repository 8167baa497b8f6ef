import { describe, expect, it, vi } from 'vitest';
import type * as AzureFunctions from '@azure/functions';
import { loadAppSettings } from '../../shared/config/AppSettings';

const registered: { kind: string; name: string; options: Record<string, unknown> }[] = [];

vi.mock('@azure/functions', async (importOriginal) => {
  const actual = await importOriginal<typeof AzureFunctions>();
  const record = (kind: string) => (name: string, options: Record<string, unknown>) => void registered.push({ kind, name, options });
  return { ...actual, app: { http: record('http'), timer: record('timer'), serviceBusQueue: record('serviceBusQueue') } };
});

const minimal = { AzureWebJobsStorage: 'UseDevelopmentStorage=true', QUEUE_MODE: 'inprocess', LOCAL_SECRETS_FILE: 'secrets.json' };

describe('the run change purge', () => {
  it('is a daily timer', async () => {
    const file = 'purgeRunChanges';
    await import(`../../functions/${file}`);
    expect(registered.map((r) => [r.kind, r.name, r.options.schedule])).toEqual([['timer', 'purgeRunChanges', '0 17 3 * * *']]);
  });

  it('keeps run changes RUN_CHANGES_RETENTION_DAYS days: 30 unless set, 1 to 3650', () => {
    expect(loadAppSettings(minimal).RUN_CHANGES_RETENTION_DAYS).toBe(30);
    expect(loadAppSettings({ ...minimal, RUN_CHANGES_RETENTION_DAYS: '' }).RUN_CHANGES_RETENTION_DAYS).toBe(30);
    expect(loadAppSettings({ ...minimal, RUN_CHANGES_RETENTION_DAYS: '7' }).RUN_CHANGES_RETENTION_DAYS).toBe(7);
    for (const bad of ['0', '3651', '1.5', 'month'])
      expect(() => loadAppSettings({ ...minimal, RUN_CHANGES_RETENTION_DAYS: bad })).toThrow('RUN_CHANGES_RETENTION_DAYS');
  });
});
