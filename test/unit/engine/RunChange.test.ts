import { describe, expect, it } from 'vitest';
import { RUN_CHANGE_LIMITS, type RunChangeInput, cutText, scrubSecrets, toRunChange } from '../../../shared/engine/RunChange';

const now = new Date('2026-03-01T10:00:00.000Z');
const item = { feature: 'users', sourceId: '11111111-1111-4111-8111-111111111111', label: 'ada@contoso.example' };

describe('toRunChange', () => {
  it('keeps each outcome with what it carries, and stamps the time when absent', () => {
    expect(toRunChange({ ...item, outcome: 'created', pbxId: '42', extension: '1001' }, now)).toEqual({
      ...item,
      outcome: 'created',
      pbxId: '42',
      extension: '1001',
      at: now.toISOString(),
    });
    expect(
      toRunChange({ ...item, outcome: 'updated', fields: ['displayName', 'email', 'email'], at: '2026-01-01T00:00:00.000Z' }, now),
    ).toEqual({ ...item, outcome: 'updated', fields: ['displayName', 'email'], at: '2026-01-01T00:00:00.000Z' });
    expect(toRunChange({ ...item, outcome: 'outOfScope', reason: 'guest' }, now)).toMatchObject({ outcome: 'outOfScope', reason: 'guest' });
    expect(toRunChange({ ...item, outcome: 'skipped', reason: 'missingName' }, now)).toMatchObject({ reason: 'missingName' });
    expect(toRunChange({ ...item, outcome: 'failed', code: 'VALIDATE_FAILED', message: 'bad email' }, now)).toMatchObject({
      code: 'VALIDATE_FAILED',
      message: 'bad email',
    });
  });

  it('copies only the known properties: a PBX user spread into an item cannot leak its passwords', () => {
    const sneaky = { ...item, outcome: 'created', user: { password: 'hunter2' }, voicemailPin: '1234' } as RunChangeInput;
    const stored = toRunChange(sneaky, now);
    expect(Object.keys(stored).sort()).toEqual(['at', 'feature', 'label', 'outcome', 'sourceId']);
    expect(JSON.stringify(stored)).not.toContain('hunter2');
  });

  it('drops empty optional values and cuts long ones', () => {
    const long = toRunChange(
      {
        ...item,
        label: '',
        extension: 'x'.repeat(500),
        outcome: 'updated',
        fields: Array.from({ length: 100 }, (_, i) => `field${i}`.padEnd(100, 'f')),
      },
      now,
    );
    expect(long).not.toHaveProperty('label');
    expect(long.extension).toHaveLength(RUN_CHANGE_LIMITS.extension);
    expect(long.extension!.endsWith('…')).toBe(true);
    if (long.outcome !== 'updated') throw new Error('expected an update');
    expect(long.fields).toHaveLength(RUN_CHANGE_LIMITS.fields);
    expect(long.fields.every((name) => name.length <= RUN_CHANGE_LIMITS.fieldName)).toBe(true);
    const failed = toRunChange({ ...item, outcome: 'failed', code: 'E', message: 'm'.repeat(50_000) }, now);
    expect(failed.outcome === 'failed' && failed.message.length).toBe(RUN_CHANGE_LIMITS.message);
  });

  it('scrubs credential-looking values from failure messages', () => {
    const failed = toRunChange(
      {
        ...item,
        outcome: 'failed',
        code: 'E',
        message: 'PBX said {"password":"S3cret!","pin": "9876"} password=abc; Bearer eyJhbGciOi.x.y',
      },
      now,
    );
    const message = failed.outcome === 'failed' ? failed.message : '';
    for (const secret of ['S3cret!', '9876', 'abc', 'eyJhbGciOi']) expect(message).not.toContain(secret);
    expect(message).toContain('PBX said');
    expect(scrubSecrets('extension 1001 is already in use')).toBe('extension 1001 is already in use');
  });
});

describe('cutText', () => {
  it('never splits a surrogate pair', () => {
    const text = `ab${'😀'.repeat(5)}`;
    for (let max = 1; max < text.length; max += 1) {
      const cut = cutText(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
    expect(cutText('short', 10)).toBe('short');
  });
});
