import { describe, expect, it } from 'vitest';
import { processPollJob } from '../../../../shared/app/processPollJob';
import { processTimerJob } from '../../../../shared/app/processTimerJob';
import { type PollJob, type TimerJob } from '../../../../shared/app/jobs/SyncJob';
import { Logger } from '../../../../shared/core/logging/Logger';
import { CalendarOptionsSchema } from '../../../../shared/features/calendar/calendarOptions';
import { numberedGuid, numberedUser } from '../../../support/numberedUser';
import { syncedSandboxTenant } from '../../../support/syncedSandboxTenant';
import { useSandboxes } from '../../../support/useSandboxes';
import { RecordingQueue } from '../../../support/recordingQueue';

const sandboxes = useSandboxes();
let seq = 0;
let userSeq = 0;
/** A Monday morning some weeks ahead; the connector's clock is moved through it by the test. */
const DAY = Date.parse('2027-01-04T00:00:00Z');
const at = (hhmm: string) => new Date(DAY + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000);

async function setup(calendar: Record<string, unknown> = {}, colleagues = 0) {
  const tenantId = `calendar${++seq}`;
  const n = 1200 + ++userSeq;
  const others = Array.from({ length: colleagues }, () => 1200 + ++userSeq);
  for (const k of [n, ...others]) sandboxes.graph.addUser(numberedUser(k, 'Ca'));
  const scope = { mode: 'INCLUDE', users: [n, ...others].map(numberedGuid) };
  const services = await syncedSandboxTenant(sandboxes, tenantId, { scope }, (config) => ({
    ...config,
    calendar: CalendarOptionsSchema.parse({ enabled: true, ...calendar }),
  }));
  const queue = new RecordingQueue();
  let now = at('07:00');
  const deps = { ...services, queue, clock: () => now };
  const pbxId = (await services.links.get(tenantId, numberedGuid(n)))!.pbxUserId!;
  const mailbox = numberedGuid(n);

  /** The clock moves to `hhmm` and the calendar is read (one cycle: the cycle job, then its batch). */
  const read = async (hhmm: string) => {
    now = at(hhmm);
    const slot = Math.floor(now.getTime() / 300_000);
    const start: PollJob = {
      kind: 'poll',
      feature: 'calendar',
      jobId: `c${slot}`,
      tenantId,
      lane: 'realtime',
      trigger: 'scheduled',
      requestedAt: now.toISOString(),
      slot,
    };
    await processPollJob(deps, start, Logger.silent());
    const polls = queue.jobs.filter(({ job }) => job.kind === 'poll');
    queue.jobs.splice(0, queue.jobs.length, ...queue.jobs.filter(({ job }) => job.kind !== 'poll'));
    for (const { job } of polls) if (job.kind === 'poll' && job.batch) await processPollJob(deps, job, Logger.silent());
  };
  /** The timers queued so far, by the time they were queued for. */
  const timers = () =>
    queue.jobs
      .filter(({ job }) => job.kind === 'timer')
      .map(({ job, options }) => ({ job: job as TimerJob, at: options.scheduledEnqueueTime }));
  /** The clock moves to `hhmm` and every timer queued for that moment fires (outdated ones too: they must drop themselves). */
  const fire = async (hhmm: string) => {
    now = at(hhmm);
    const due = timers().filter((t) => t.job.at === now.toISOString());
    expect(due.length).toBeGreaterThan(0);
    for (const { job } of due) await processTimerJob(deps, job, Logger.silent());
    return due.length;
  };
  const pbx = () => sandboxes.pbx.presenceOf(pbxId);
  const history = async () => (await services.presenceHistory.listForUser(tenantId, mailbox, 20)).map((e) => e.reason).reverse();
  const event = (
    start: string,
    end: string,
    showAs: 'busy' | 'oof' | 'workingElsewhere' | 'tentative' = 'busy',
    extra: Record<string, unknown> = {},
  ) =>
    sandboxes.graph.addEvent(mailbox, {
      subject: 'Meeting',
      start: at(start).toISOString(),
      end: at(end).toISOString(),
      showAs,
      ...extra,
    });
  const pbxOf = async (k: number) => sandboxes.pbx.presenceOf((await services.links.get(tenantId, numberedGuid(k)))!.pbxUserId!);
  return { services, tenantId, mailbox, pbxId, read, fire, timers, pbx, history, event, others, pbxOf };
}

describe('calendar → PBX status over the sandboxes, with a controlled clock', () => {
  it('a meeting starts → DND, ends → the status from before is back, each at its exact time', async () => {
    const t = await setup();
    t.event('09:00', '10:00');
    await t.read('08:00');
    expect(t.timers().map((x) => [x.job.at, x.at?.toISOString()])).toEqual([
      [at('09:00').toISOString(), at('09:00').toISOString()],
      [at('10:00').toISOString(), at('10:00').toISOString()],
    ]);
    expect(t.pbx().writes).toBe(0); // nothing happens before the meeting
    await t.fire('09:00');
    expect(t.pbx().presence).toBe('DO_NOT_DISTURB');
    await t.fire('10:00');
    expect(t.pbx().presence).toBe('ONLINE');
    expect(await t.history()).toEqual(['set', 'restored']);
  });

  it('overlapping and back-to-back meetings make one stretch: one DND at the first start, one restore at the last end', async () => {
    const t = await setup();
    t.event('09:00', '10:00');
    t.event('09:30', '10:30');
    t.event('10:30', '11:00', 'workingElsewhere');
    await t.read('08:00');
    expect(t.timers().map((x) => x.job.at)).toEqual([at('09:00').toISOString(), at('11:00').toISOString()]);
    await t.fire('09:00');
    expect(t.pbx().presence).toBe('DO_NOT_DISTURB');
    await t.fire('11:00');
    expect(t.pbx()).toMatchObject({ presence: 'ONLINE', writes: 2 });
  });

  it('a meeting moved before it starts: the old timers drop themselves, the new ones act', async () => {
    const t = await setup();
    const meeting = t.event('09:00', '10:00');
    await t.read('08:00');
    sandboxes.graph.updateEvent(t.mailbox, meeting.id, { start: at('09:30').toISOString(), end: at('10:30').toISOString() });
    await t.read('08:30');
    await t.fire('09:00'); // planned under the old key
    expect(t.pbx().writes).toBe(0);
    await t.fire('09:30');
    expect(t.pbx().presence).toBe('DO_NOT_DISTURB');
    await t.fire('10:00'); // the old end: outdated
    expect(t.pbx().presence).toBe('DO_NOT_DISTURB');
    await t.fire('10:30');
    expect(t.pbx().presence).toBe('ONLINE');
  });

  it('a meeting cancelled while it runs is ended at the next read; its own end then drops itself', async () => {
    const t = await setup();
    const meeting = t.event('09:00', '10:00');
    await t.read('08:00');
    await t.fire('09:00');
    expect(t.pbx().presence).toBe('DO_NOT_DISTURB');
    sandboxes.graph.cancelEvent(t.mailbox, meeting.id);
    await t.read('09:20');
    expect(t.pbx().presence).toBe('ONLINE');
    const writes = t.pbx().writes;
    await t.fire('10:00');
    expect(t.pbx().writes).toBe(writes);
  });

  it('a meeting cancelled before it starts: neither of its timers writes anything', async () => {
    const t = await setup();
    const meeting = t.event('09:00', '10:00');
    await t.read('08:00');
    sandboxes.graph.cancelEvent(t.mailbox, meeting.id);
    await t.read('08:30');
    await t.fire('09:00');
    await t.fire('10:00');
    expect(t.pbx().writes).toBe(0);
    expect(await t.history()).toEqual([]);
  });

  it('a meeting moved while it runs (it ends later): the old end drops itself, the new end restores', async () => {
    const t = await setup();
    const meeting = t.event('09:00', '10:00');
    await t.read('08:00');
    await t.fire('09:00');
    expect(t.pbx().presence).toBe('DO_NOT_DISTURB');
    sandboxes.graph.updateEvent(t.mailbox, meeting.id, { start: at('09:00').toISOString(), end: at('10:45').toISOString() });
    await t.read('09:30');
    expect(t.pbx().presence).toBe('DO_NOT_DISTURB');
    await t.fire('10:00'); // the old end: outdated
    expect(t.pbx().presence).toBe('DO_NOT_DISTURB');
    await t.fire('10:45');
    expect(t.pbx().presence).toBe('ONLINE');
    expect(await t.history()).toEqual(['set', 'restored']);
  });

  it('a read that finds the calendar changed while a due timer waits applies the present itself', async () => {
    const t = await setup();
    t.event('09:00', '10:00');
    await t.read('08:00');
    // The 09:00 timer waits behind a busy lane; meanwhile a later meeting is booked and the next read runs.
    t.event('11:00', '12:00');
    await t.read('09:10');
    expect(t.pbx().presence).toBe('DO_NOT_DISTURB');
    const writes = t.pbx().writes;
    await t.fire('09:00'); // outdated by the new plan: it drops itself
    expect(t.pbx().writes).toBe(writes);
    await t.fire('10:00'); // the new plan's end of the first meeting
    expect(t.pbx().presence).toBe('ONLINE');
  });

  it('out of office all day shows away; an all-day "busy" changes nothing', async () => {
    const t = await setup();
    t.event('00:00', '00:00', 'busy', {
      isAllDay: true,
      start: new Date(DAY).toISOString(),
      end: new Date(DAY + 86_400_000).toISOString(),
    });
    await t.read('07:00');
    expect(t.pbx().writes).toBe(0);
    t.event('00:00', '00:00', 'oof', { isAllDay: true, start: new Date(DAY).toISOString(), end: new Date(DAY + 86_400_000).toISOString() });
    await t.read('07:05');
    expect(t.pbx().presence).toBe('AWAY');
  });

  it('never overrides a business trip set by hand', async () => {
    const t = await setup();
    sandboxes.pbx.setPresenceByHand(t.pbxId, 'BUSINESS_TRIP');
    t.event('09:00', '10:00');
    await t.read('08:00');
    await t.fire('09:00');
    await t.fire('10:00');
    expect(t.pbx()).toMatchObject({ presence: 'BUSINESS_TRIP', writes: 0 });
    // The read that found the meeting, its start and its end: each saw the business trip and left it.
    expect(await t.history()).toEqual(['heldByPbx', 'heldByPbx', 'heldByPbx']);
  });

  it("with a scope by group, reads and acts on the calendars of the group's members only", async () => {
    const groupId = '7e570000-0000-4000-8000-000000000001';
    const t = await setup({ users: { mode: 'GROUPS', groups: [groupId] } }, 1);
    const outsider = t.others[0]!;
    sandboxes.graph.addGroup({ id: groupId, displayName: 'Calendar pilots', memberIds: [t.mailbox] });
    t.event('09:00', '10:00');
    sandboxes.graph.addEvent(numberedGuid(outsider), {
      subject: 'Meeting',
      start: at('09:00').toISOString(),
      end: at('10:00').toISOString(),
      showAs: 'busy',
    } as never);
    const views = sandboxes.graph.calendarStats().calendarViewRequests;
    await t.read('08:00');
    expect(sandboxes.graph.calendarStats().calendarViewRequests - views).toBe(1);
    expect(t.timers().every((x) => x.job.subject === t.mailbox)).toBe(true);
    await t.fire('09:00');
    expect(t.pbx().presence).toBe('DO_NOT_DISTURB');
    expect((await t.pbxOf(outsider)).writes).toBe(0);
  });

  it('leaves a status changed by hand during the meeting as it is at the end', async () => {
    const t = await setup();
    t.event('09:00', '10:00');
    await t.read('08:00');
    await t.fire('09:00');
    sandboxes.pbx.setPresenceByHand(t.pbxId, 'AWAY');
    await t.fire('10:00');
    expect(t.pbx().presence).toBe('AWAY');
    expect(await t.history()).toEqual(['set', 'changedByHand']);
  });
});
