import { describe, expect, it } from 'vitest';
import { aProfile, aSource } from '../builders.js';
import { anItem } from './fakeLibrary.js';
import { anId, aUser, brokenProfile, syncHarness } from './fakes.js';

const MP4 = anId(1);
const MKV = anId(2);
const EXTRA = anId(3);

/** A phone that plays MP4 H.264/AAC and wants MP4 for the rest; an MKV/AC3 source needs a remux there. */
function setup() {
  const h = syncHarness();
  const alice = h.signIn(aUser('alice'), 'phone', aProfile());
  h.lib.add(anItem({ id: MP4, name: 'Plays As Is' }), anItem({ id: MKV, name: 'Needs Remux' }), anItem({ id: EXTRA, name: 'Extra' }));
  h.lib.sources.set(MP4, aSource({ container: 'mp4', audio: [{ codec: 'aac' }] }));
  h.lib.sources.set(MKV, aSource({ container: 'mkv', audio: [{ codec: 'ac3' }] }));
  return { h, alice };
}

describe('JobItemProcessor', () => {
  it('makes an item that plays as is ReadyToTransfer at once, at the progress of a finished conversion', () => {
    const { h, alice } = setup();
    const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MP4] });
    const [item] = h.store.itemsOfJob(Job.Id);
    expect(item).toMatchObject({ status: 'ReadyToTransfer', progress: 50, outputKey: null, outputFileName: 'Plays As Is.mp4' });
    expect(h.conversion.scheduled).toEqual([]);
  });

  it('queues a conversion for an item that needs one and follows the shared output to ReadyToTransfer', () => {
    const { h, alice } = setup();
    const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MKV] });
    const [queued] = h.store.itemsOfJob(Job.Id);
    expect(queued.status).toBe('Queued');
    expect(h.conversion.scheduled).toEqual([queued.outputKey]);
    h.conversion.change(queued.outputKey!, { status: 'converting', progress: 40 }, 'progress');
    expect(h.store.getItem(queued.id)).toMatchObject({ status: 'Converting', progress: 20 });
    h.conversion.change(queued.outputKey!, { status: 'ready', progress: 100, fileName: 'out.mp4', size: 10 }, 'ready');
    expect(h.store.getItem(queued.id)).toMatchObject({ status: 'ReadyToTransfer', progress: 50, outputFileName: 'out.mp4', size: 10 });
  });

  it('fails an item whose conversion failed with a message free of server paths', () => {
    const { h, alice } = setup();
    const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MKV] });
    const [queued] = h.store.itemsOfJob(Job.Id);
    h.conversion.change(
      queued.outputKey!,
      { status: 'failed', errorMessage: "ENOENT: open '/srv/data/sync/ab/out.mp4.partial'" },
      'failed',
    );
    expect(h.store.getItem(queued.id)).toMatchObject({ status: 'Failed', errorMessage: "ENOENT: open 'out.mp4.partial'" });
  });

  it('adds items up to ItemLimit, counting Cancelled ones but not Failed or RemovedFromDevice', () => {
    const { h, alice } = setup();
    const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MP4, MKV, EXTRA], ItemLimit: 2 });
    expect(h.store.itemsOfJob(Job.Id).map((i) => i.itemId)).toEqual([MP4, MKV]);
    const first = h.store.itemsOfJob(Job.Id)[0];
    h.store.saveItem({ ...first, status: 'RemovedFromDevice' });
    h.processor.ensureJobItems(h.store.getJob(Job.Id)!);
    expect(h.store.itemsOfJob(Job.Id).map((i) => i.itemId)).toEqual([MP4, MKV, EXTRA]);
  });

  it('lets a second job’s item for the same library item and device wait, and wakes it when the first leaves', () => {
    const { h, alice } = setup();
    const first = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MP4] });
    const second = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MP4] });
    const waiting = h.store.itemsOfJob(second.Job.Id)[0];
    expect(waiting).toMatchObject({ status: 'Cancelled', errorMessage: 'Already on this device through another sync job' });
    h.jobs.deleteJob(alice, first.Job.Id);
    expect(h.store.getItem(waiting.id)).toMatchObject({ status: 'ReadyToTransfer', errorMessage: null });
  });

  it('fails, instead of leaving Queued, an item whose plan throws', () => {
    const { h, alice } = setup();
    const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MKV] });
    const [item] = h.store.itemsOfJob(Job.Id);
    h.store.saveItem({ ...item, status: 'Queued', outputKey: null });
    h.profiles.set('phone', brokenProfile());
    h.processor.processItem(h.store.getItem(item.id)!);
    expect(h.store.getItem(item.id)).toMatchObject({ status: 'Failed' });
    expect(h.store.getItem(item.id)!.errorMessage).toMatch(/report the device's capabilities again/);
  });

  it('recomputes the job in the same change and tells listeners once per real change', () => {
    const { h, alice } = setup();
    const changes: string[] = [];
    h.events.onEvent('jobChanged', (e) => changes.push(e.jobId));
    const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MP4] });
    expect(h.store.getJob(Job.Id)).toMatchObject({ status: 'ReadyToTransfer', itemCount: 1, progress: 50 });
    const count = changes.length;
    h.processor.recomputeJob(Job.Id);
    expect(changes.length).toBe(count);
  });
});
