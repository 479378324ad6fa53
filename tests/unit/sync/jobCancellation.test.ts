import { describe, expect, it } from 'vitest';
import { aProfile, aSource } from '../builders.js';
import { anItem } from './fakeLibrary.js';
import { anId, aUser, syncHarness } from './fakes.js';

const A = anId(1);
const B = anId(2);

function setup() {
  const h = syncHarness();
  const alice = h.signIn(aUser('alice'), 'phone', aProfile());
  h.lib.add(anItem({ id: A, name: 'A' }), anItem({ id: B, name: 'B' }));
  h.lib.sources.set(B, aSource({ container: 'mkv', audio: [{ codec: 'ac3' }] }));
  return { h, alice };
}

describe('JobCancellation', () => {
  it('deletes a job with its items, releases their outputs and tells the device', () => {
    const { h, alice } = setup();
    const sent: string[] = [];
    h.events.onEvent('jobCancelled', (e) => sent.push(e.job.Status));
    const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [A, B] });
    const key = h.store.itemsOfJob(Job.Id)[1].outputKey;
    h.cancellation.cancelJob(h.store.getJob(Job.Id)!);
    expect(h.store.getJob(Job.Id)).toBeUndefined();
    expect(h.store.items.size).toBe(0);
    expect(h.conversion.released).toEqual([key]);
    expect(sent).toEqual(['Cancelled']);
  });

  it('marks a Synced item for removal instead of cancelling it, and keeps the job', () => {
    const { h, alice } = setup();
    const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [A] });
    const item = h.store.itemsOfJob(Job.Id)[0];
    h.store.saveItem({ ...item, status: 'Synced', progress: 100 });
    h.cancellation.cancelItem(h.store.getItem(item.id)!, h.store.getJob(Job.Id)!);
    expect(h.store.getItem(item.id)).toMatchObject({ status: 'Synced', isMarkedForRemoval: true });
    expect(h.store.getJob(Job.Id)).toBeDefined();
  });

  it('cancels the whole job once its last item on the way is cancelled', () => {
    const { h, alice } = setup();
    const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [A] });
    h.cancellation.cancelItem(h.store.itemsOfJob(Job.Id)[0], h.store.getJob(Job.Id)!);
    expect(h.store.getJob(Job.Id)).toBeUndefined();
  });
});
