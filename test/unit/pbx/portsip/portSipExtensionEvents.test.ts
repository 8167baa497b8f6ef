import { describe, expect, it } from 'vitest';
import { MAX_EXTENSION_EVENTS_PER_REQUEST, parsePortSipExtensionEvents } from '../../../../shared/pbx/portsip/portSipExtensionEvents';

const ARRIVED = new Date('2027-01-04T09:00:30Z');

describe('parsePortSipExtensionEvents', () => {
  it('reads extension_call in both API versions’ value names, with the time in seconds or milliseconds', () => {
    const parsed = parsePortSipExtensionEvents(
      [
        {
          event_type: 'extension_call',
          extension: '101',
          call_status: 'ON_CALL',
          tenant_id: '8836',
          extension_id: 'u1',
          time: '1799571600',
        },
        { event_type: 'extension_call', extension: 'sip:102@contoso.pbx', call_status: 'OTHER_CALL', time: 1799571600123 },
        { event_type: 'extension_call', extension: 103, call_status: 'RINGING' },
        { event_type: 'extension_call', extension_id: 'u4', call_status: '', time: '2027-01-04T09:00:00Z' },
      ],
      ARRIVED,
    );
    expect(parsed.invalid).toEqual([]);
    expect(parsed.events).toEqual([
      { pbxUserId: 'u1', extensionNumber: '101', state: 'onCall', at: new Date(1799571600_000) },
      { pbxUserId: undefined, extensionNumber: '102', state: 'onCall', at: new Date(1799571600123) },
      { pbxUserId: undefined, extensionNumber: '103', state: 'ringing', at: ARRIVED },
      { pbxUserId: 'u4', extensionNumber: undefined, state: 'idle', at: new Date('2027-01-04T09:00:00Z') },
    ]);
  });

  it('reads every extension of an extension_status, and ignores well-formed events it has no use for', () => {
    const parsed = parsePortSipExtensionEvents(
      [
        {
          event_type: 'extension_status',
          tenant_id: '8836',
          status: [
            { extension: 'sip:101@d', extension_id: 'u1', call_status: 'ON_CALL', online: true, presence: 'ONLINE', time: '1799571600' },
            { extension: 'sip:102@d', extension_id: 'u2', call_status: '', online: true, presence: 'AWAY', time: '1799571601' },
          ],
        },
        { event_type: 'extension_presence', extension: '101', presence: 'AWAY' },
      ],
      ARRIVED,
    );
    expect(parsed.events.map((e) => [e.pbxUserId, e.state])).toEqual([
      ['u1', 'onCall'],
      ['u2', 'idle'],
    ]);
    expect(parsed.ignored).toBe(1);
  });

  it('says what it cannot understand, one by one, keeping the events it can', () => {
    const parsed = parsePortSipExtensionEvents(
      [
        'text',
        { extension: '101' },
        { event_type: 'extension_call', extension: '101', call_status: 'ON_HOLD_SOMEWHERE' },
        { event_type: 'extension_call', call_status: 'ON_CALL' },
        { event_type: 'extension_call', extension: '105', call_status: 'ON_CALL' },
      ],
      ARRIVED,
    );
    expect(parsed.events).toHaveLength(1);
    expect(parsed.invalid.map((i) => i.index)).toEqual([0, 1, 2, 3]);
    expect(parsed.invalid[2]!.reason).toMatch(/call_status/);
    expect(parsed.invalid[3]!.reason).toMatch(/names no extension/);
  });

  it('refuses a request with more events than it reads at once', () => {
    const many = Array.from({ length: MAX_EXTENSION_EVENTS_PER_REQUEST + 1 }, () => ({
      event_type: 'extension_call',
      extension: '1',
      call_status: '',
    }));
    const parsed = parsePortSipExtensionEvents(many, ARRIVED);
    expect(parsed.events).toEqual([]);
    expect(parsed.invalid[0]!.reason).toMatch(/more than 100/);
  });
});
