import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Logger } from '../../../shared/core/logging/Logger';
import { processJob } from '../../../shared/app/processJob';
import { requestSync } from '../../../shared/app/requestSync';
import { type SyncJob } from '../../../shared/app/jobs/SyncJob';
import { type LinkEventBatch } from '../../../shared/engine/LinkEvent';
import { type LinkedUser } from '../../../shared/engine/LinkedUsers';
import { emptyFeatureRunResult } from '../../../shared/engine/FeatureRunResult';
import { type Feature } from '../../../shared/features/Feature';
import { FeatureRegistry } from '../../../shared/features/FeatureRegistry';
import { usersFeature } from '../../../shared/features/users/usersFeature';
import { type SandboxUser } from '../../../sandbox/graph/SandboxUser';
import { numberedUser } from '../../support/numberedUser';
import { useSandboxes } from '../../support/useSandboxes';
import { createSandboxTenant } from '../../support/sandboxTenant';

const sandboxes = useSandboxes();

/**
 * A stand-in for groups: it reacts to the users feature's link events by asking for a delta run, and in its
 * run reads the users' links through the read-only port (never the users feature's own store).
 */
function rosterFeature(reactsTo: LinkEventBatch['events'][number]['kind'][]) {
  const heard: LinkEventBatch[] = [];
  const seen: LinkedUser[][] = [];
  const feature: Feature<{ on: boolean }> = {
    manifest: { name: 'roster', lane: 'directory', options: z.object({ on: z.boolean().default(true) }) },
    optionsFor: () => ({ on: true }),
    reconcileOnSchedule: false,
    subscriptions: () => [],
    onLinkEvents(batch) {
      heard.push(batch);
      return reactsTo.some((kind) => batch.counts[kind] > 0) ? { mode: 'delta' } : undefined;
    },
    async sync(context, request) {
      seen.push(await context.linkedUsers.list());
      return emptyFeatureRunResult(request.mode);
    },
  };
  return { feature, heard, seen };
}

const person = (n: number): SandboxUser => numberedUser(n, 'Link');

let tenantSeq = 0;
async function setup(reactsTo: LinkEventBatch['events'][number]['kind'][]) {
  const users = [1, 2, 3, 4].map(person);
  sandboxes.graph.seed(users, []);
  const roster = rosterFeature(reactsTo);
  const { services } = await createSandboxTenant(
    sandboxes,
    `links${++tenantSeq}`,
    { onSoftDeleted: 'delete' },
    {
      features: new FeatureRegistry([usersFeature, roster.feature]),
    },
  );
  const sent: SyncJob[] = [];
  const enqueue = services.queue.enqueue.bind(services.queue);
  services.queue.enqueue = async (job, options) => {
    sent.push(job);
    await enqueue(job, options);
  };
  const runUsers = async (mode: 'full' | 'delta') => {
    const { job } = await requestSync(services, { tenantId: `links${tenantSeq}`, feature: 'users', mode, trigger: 'manual' });
    sent.length = 0;
    await processJob(services, job, Logger.silent());
  };
  return { services, users, roster, sent, runUsers, tenantId: `links${tenantSeq}` };
}

describe('features react to the users feature through link events and read it through a read-only port', () => {
  it('a users run that links users asks the reacting feature for a run, which sees the links and their extensions', async () => {
    const { services, users, roster, sent, runUsers, tenantId } = await setup(['linked']);
    await runUsers('full');
    expect(roster.heard).toHaveLength(1);
    expect(roster.heard[0]).toMatchObject({
      tenantId,
      feature: 'users',
      counts: { linked: 4, unlinked: 0, numberChanged: 0 },
      truncated: false,
    });
    const links = await services.links.listByTenant(tenantId);
    expect(roster.heard[0]!.events.map((e) => e.sourceId).sort()).toEqual(users.map((u) => u.id).sort());
    expect(sent).toEqual([expect.objectContaining({ kind: 'sync', feature: 'roster', mode: 'delta', trigger: 'linkEvents' })]);

    await processJob(services, sent[0]!, Logger.silent());
    expect(roster.seen[0]!.map((u) => [u.objectId, u.extensionNumber]).sort()).toEqual(
      links.map((l) => [l.objectId, l.extensionNumber]).sort(),
    );
    const rosterRuns = (await services.runs.list(tenantId, 20)).filter((r) => r.feature === 'roster').map((r) => r.trigger);
    expect(rosterRuns).toEqual(['linkEvents']);
  });

  it('a run that changes nothing it links says nothing; a deletion is heard as unlinked', async () => {
    const { users, roster, sent, runUsers } = await setup(['unlinked']);
    await runUsers('full');
    expect(sent).toEqual([]); // linked was heard, but this roster asks for a run only on unlinked
    roster.heard.length = 0;

    sandboxes.graph.updateUser(users[0]!.id, { department: 'Elsewhere' });
    await runUsers('delta');
    expect(roster.heard).toEqual([]);

    sandboxes.graph.softDeleteUser(users[1]!.id);
    await runUsers('delta');
    expect(roster.heard).toEqual([expect.objectContaining({ counts: { linked: 0, unlinked: 1, numberChanged: 0 } })]);
    expect(roster.heard[0]!.events).toEqual([expect.objectContaining({ kind: 'unlinked', sourceId: users[1]!.id })]);
    expect(sent.map((j) => (j.kind === 'sync' ? [j.feature, j.trigger] : j.kind))).toEqual([['roster', 'linkEvents']]);
  });
});
