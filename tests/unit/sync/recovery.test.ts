import { describe, expect, it } from 'vitest';
import { aProfile, aSource } from '../builders.js';
import { anItem } from './fakeLibrary.js';
import { anId, aUser, syncHarness } from './fakes.js';

const MOVIE = anId(1);
const MKV = anId(2);

function setup() {
  const h = syncHarness();
  const alice = h.signIn(aUser('alice'), 'phone', aProfile());
  h.lib.add(anItem({ id: MOVIE, name: 'Movie' }), anItem({ id: MKV, name: 'Remux' }));
  h.lib.sources.set(MKV, aSource({ container: 'mkv', audio: [{ codec: 'ac3' }] }));
  const { JobItems } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MOVIE, MKV] });
  return { h, movie: JobItems[0].Id, mkv: JobItems[1].Id };
}

describe('Recovery', () => {
  it('after a restart puts Converting items back to Queued and broken-off downloads back to ReadyToTransfer', () => {
    const { h, movie, mkv } = setup();
    h.store.saveItem({ ...h.store.getItem(movie)!, status: 'Transferring', progress: 70 });
    h.store.saveItem({ ...h.store.getItem(mkv)!, status: 'Converting', progress: 30 });
    h.recovery.recoverAfterRestart();
    expect(h.store.getItem(movie)).toMatchObject({ status: 'ReadyToTransfer', progress: 50 });
    expect(h.store.getItem(mkv)).toMatchObject({ status: 'Queued', progress: 0 });
  });

  it('plans the Queued items that never got a plan, and leaves those waiting on an output alone', () => {
    const { h, movie, mkv } = setup();
    h.store.saveItem({ ...h.store.getItem(movie)!, status: 'Queued', progress: 0, outputKey: null, mediaSource: null });
    expect(h.recovery.planUnplanned()).toBe(1);
    expect(h.store.getItem(movie)!.status).toBe('ReadyToTransfer');
    expect(h.store.getItem(mkv)!.status).toBe('Queued');
  });

  it('queues again what is ready but whose output vanished, not what is already on the device', () => {
    const { h, mkv } = setup();
    const key = h.store.getItem(mkv)!.outputKey!;
    h.conversion.change(key, { status: 'ready', fileName: 'out.mp4', size: 5 }, 'ready');
    expect(h.store.getItem(mkv)!.status).toBe('ReadyToTransfer');
    expect(h.recovery.requeueVanishedOutputs(() => false)).toBe(1);
    expect(h.conversion.released).toContain(key);
    h.store.saveItem({ ...h.store.getItem(mkv)!, status: 'Synced', outputKey: key });
    expect(h.recovery.requeueVanishedOutputs(() => false)).toBe(0);
  });
});
