import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/server/errors.js';
import { aProfile, aSource } from '../builders.js';
import { anItem } from './fakeLibrary.js';
import { anId, aUser, brokenProfile, syncHarness } from './fakes.js';

const MOVIE = anId(1);
const MKV = anId(2);

function setup() {
  const h = syncHarness();
  const alice = h.signIn(aUser('alice'), 'phone', aProfile());
  h.lib.add(anItem({ id: MOVIE, name: 'Movie' }), anItem({ id: MKV, name: 'Remux Me' }));
  h.lib.sources.set(MOVIE, aSource({ container: 'mp4', audio: [{ codec: 'aac' }] }));
  h.lib.sources.set(MKV, aSource({ container: 'mkv', audio: [{ codec: 'ac3' }] }));
  return { h, alice };
}

function refusal(fn: () => unknown): { kind: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return { kind: err.kind, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('SyncJobs.createJob', () => {
  it('checks sync policy, target, items and quality before anything is written', () => {
    const { h, alice } = setup();
    expect(
      refusal(() => h.jobs.createJob({ ...alice, user: aUser('alice', { EnableSync: false }) }, { TargetId: 'phone', ItemIds: [MOVIE] }))
        .kind,
    ).toBe('Forbidden');
    expect(refusal(() => h.jobs.createJob(alice, { TargetId: 'someone-elses', ItemIds: [MOVIE] })).message).toMatch(/not a sync target/);
    expect(refusal(() => h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [anId(99)] })).message).toMatch(/Unknown item/);
    expect(refusal(() => h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MOVIE], Quality: 'ultra' })).kind).toBe('Invalid');
    expect(refusal(() => h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MOVIE], ItemLimit: 0 })).kind).toBe('Invalid');
    expect(h.store.jobs.size).toBe(0);
  });

  it('refuses a job whose items cannot be planned, and leaves no job or item behind', () => {
    const { h, alice } = setup();
    h.profiles.set('phone', brokenProfile());
    expect(refusal(() => h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MKV] })).message).toMatch(/cannot be planned/);
    expect(h.store.jobs.size).toBe(0);
    expect(h.store.items.size).toBe(0);
    // A later good job for the same item is not "already on this device".
    h.profiles.set('phone', aProfile());
    const { JobItems } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MKV] });
    expect(JobItems.map((i) => i.Status)).toEqual(['Queued']);
  });

  it('names the job after its one item, and lets a fixed selection of single items never grow', () => {
    const { h, alice } = setup();
    const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MOVIE] });
    expect(Job).toMatchObject({ Name: 'Movie', SyncNewContent: false, ItemCount: 1 });
  });
});

describe('SyncJobs edits and removals', () => {
  it('plans the items again when the quality changes, releasing the output they held', () => {
    const { h, alice } = setup();
    const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MKV], Quality: 'high' });
    const before = h.store.itemsOfJob(Job.Id)[0];
    h.jobs.updateJob(alice, Job.Id, { Quality: 'low' });
    const after = h.store.itemsOfJob(Job.Id)[0];
    expect(h.store.getJob(Job.Id)!.quality).toBe('low');
    expect(after.status).toBe('Queued');
    expect(h.conversion.released).toContain(before.outputKey);
  });

  it('refuses to cancel, through a shared device, items another user’s job holds — and changes nothing', () => {
    const { h, alice } = setup();
    const carol = h.signIn(aUser('carol'), 'phone');
    const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MOVIE] });
    expect(refusal(() => h.jobs.cancelItemsOnTarget(carol, 'phone', [MOVIE])).kind).toBe('Forbidden');
    expect(h.store.getJob(Job.Id)).toBeDefined();
    expect(h.store.itemsOfJob(Job.Id)[0].status).toBe('ReadyToTransfer');
    h.jobs.cancelItemsOnTarget(alice, 'phone', [MOVIE]);
    expect(h.store.getJob(Job.Id)).toBeUndefined();
  });

  it('retries a Failed item from Queued, with its error cleared', () => {
    const { h, alice } = setup();
    const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MKV] });
    const item = h.store.itemsOfJob(Job.Id)[0];
    h.conversion.change(item.outputKey!, { status: 'failed', errorMessage: 'boom' }, 'failed');
    h.jobs.enableItem(alice, item.id);
    expect(h.conversion.retried).toEqual([item.outputKey]);
    expect(h.store.getItem(item.id)).toMatchObject({ status: 'Queued', errorMessage: null });
  });
});
