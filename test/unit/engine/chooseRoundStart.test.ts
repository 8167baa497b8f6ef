import { describe, expect, it } from 'vitest';
import { chooseRoundStart } from '../../../shared/engine/chooseRoundStart';
import { type DeltaState } from '../../../shared/engine/DeltaStateStore';

const HASH = 'h1';
const stored = (fields: Partial<DeltaState>): DeltaState => ({ tenantId: 't', resource: 'users', optionsHash: HASH, ...fields });

describe('chooseRoundStart', () => {
  it('starts a fresh full round when nothing is stored, with nothing to tell', () => {
    expect(chooseRoundStart({ tenantId: 't', resource: 'users' }, HASH, 'delta')).toEqual({
      start: { kind: 'initial' },
      mode: 'full',
      resumed: false,
    });
  });

  it('continues from the deltaLink of the last completed round when a delta run is asked for', () => {
    expect(chooseRoundStart(stored({ deltaLink: 'delta:1' }), HASH, 'delta')).toEqual({
      start: { kind: 'link', url: 'delta:1' },
      mode: 'delta',
      resumed: false,
    });
  });

  it('reads everything when a full run is asked for, even with a deltaLink', () => {
    expect(chooseRoundStart(stored({ deltaLink: 'delta:1' }), HASH, 'full')).toEqual({
      start: { kind: 'initial' },
      mode: 'full',
      resumed: false,
    });
  });

  it('resumes an unfinished round from its checkpoint, keeping its mode and start time', () => {
    const state = stored({
      deltaLink: 'delta:1',
      checkpointLink: 'page:7',
      roundMode: 'delta',
      roundStartedAt: '2024-05-01T10:00:00.000Z',
    });
    expect(chooseRoundStart(state, HASH, 'delta')).toEqual({
      start: { kind: 'link', url: 'page:7' },
      mode: 'delta',
      resumed: true,
      startedAt: '2024-05-01T10:00:00.000Z',
      note: 'resumed an unfinished delta round from its checkpoint',
    });
  });

  it('resumes an unfinished full round even when only a delta run is asked for', () => {
    const start = chooseRoundStart(stored({ checkpointLink: 'page:3', roundMode: 'full' }), HASH, 'delta');
    expect(start).toEqual({
      start: { kind: 'link', url: 'page:3' },
      mode: 'full',
      resumed: true,
      note: 'resumed an unfinished full round from its checkpoint',
    });
    expect(start).not.toHaveProperty('startedAt');
  });

  it('resumes an unfinished full round when a full run is asked for', () => {
    expect(chooseRoundStart(stored({ checkpointLink: 'page:3', roundMode: 'full' }), HASH, 'full')).toMatchObject({
      start: { kind: 'link', url: 'page:3' },
      mode: 'full',
      resumed: true,
    });
  });

  it('takes a checkpoint without a recorded mode for a full round (state written before modes were kept)', () => {
    expect(chooseRoundStart(stored({ checkpointLink: 'page:2' }), HASH, 'full')).toMatchObject({
      start: { kind: 'link', url: 'page:2' },
      mode: 'full',
      resumed: true,
      note: 'resumed an unfinished full round from its checkpoint',
    });
  });

  it('does not let finishing an unfinished delta round stand in for a full reconcile', () => {
    const state = stored({
      deltaLink: 'delta:1',
      checkpointLink: 'page:4',
      roundMode: 'delta',
      roundStartedAt: '2024-05-01T10:00:00.000Z',
    });
    expect(chooseRoundStart(state, HASH, 'full')).toEqual({ start: { kind: 'initial' }, mode: 'full', resumed: false });
  });

  it('starts a full reconcile, and says why, when the options changed', () => {
    const state = stored({ optionsHash: 'old', deltaLink: 'delta:1', checkpointLink: 'page:4', roundMode: 'full' });
    expect(chooseRoundStart(state, HASH, 'delta')).toEqual({
      start: { kind: 'initial' },
      mode: 'full',
      resumed: false,
      note: 'sync options changed: full reconcile',
    });
  });

  it('says nothing about options when none were stored (state from before options were hashed)', () => {
    const start = chooseRoundStart(stored({ optionsHash: undefined, deltaLink: 'delta:1', checkpointLink: 'page:4' }), HASH, 'delta');
    expect(start).toEqual({ start: { kind: 'initial' }, mode: 'full', resumed: false });
    expect(start).not.toHaveProperty('note');
  });
});
