import { describe, expect, it } from 'vitest';
import { LinkEventLog } from '../../../shared/engine/LinkEventLog';

describe('LinkEventLog', () => {
  it('counts every event but keeps only the first ones, saying so', () => {
    const log = new LinkEventLog('t1', 'users');
    expect(log.isEmpty).toBe(true);
    const total = LinkEventLog.MAX_EVENTS + 5;
    for (let i = 0; i < total; i += 1)
      log.add({ kind: 'linked', feature: 'users', sourceId: `u${i}`, pbxId: `p${i}`, extension: `${1000 + i}` });
    log.add({ kind: 'unlinked', feature: 'users', sourceId: 'gone' });
    const batch = log.snapshot();
    expect(batch.counts).toEqual({ linked: total, unlinked: 1, numberChanged: 0 });
    expect(batch.events).toHaveLength(LinkEventLog.MAX_EVENTS);
    expect(batch.events[0]).toMatchObject({ sourceId: 'u0' });
    expect(batch.truncated).toBe(true);
    expect(log.isEmpty).toBe(false);
  });

  it('hands out copies: a reacting feature cannot change what the next one sees', () => {
    const log = new LinkEventLog('t1', 'users');
    log.add({ kind: 'unlinked', feature: 'users', sourceId: 'a' });
    const first = log.snapshot();
    first.events.length = 0;
    first.counts.unlinked = 99;
    expect(log.snapshot()).toMatchObject({ counts: { unlinked: 1 }, events: [{ sourceId: 'a' }] });
  });
});
