import { describe, expect, it } from 'vitest';
import { aProfile } from '../builders.js';
import { anItem } from './fakeLibrary.js';
import { anId, aUser, syncHarness, userIdOf } from './fakes.js';

const MOVIE = anId(1);
const OTHER = anId(2);

function setup() {
  const h = syncHarness();
  const alice = h.signIn(aUser('alice'), 'phone', aProfile());
  h.lib.add(anItem({ id: MOVIE, name: 'Movie' }), anItem({ id: OTHER, name: 'Other' }));
  const { JobItems } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MOVIE, OTHER] });
  const item = () => h.store.getItem(JobItems[0].Id)!;
  return { h, alice, item };
}

describe('Transfer downloads', () => {
  it('makes an item Transferring while its bytes flow and ReadyToTransfer again when the download breaks off', () => {
    const { h, item } = setup();
    const watch = h.transfer.watchDownload(item(), 0, 1000);
    expect(item().status).toBe('Transferring');
    watch.closed(false);
    expect(item()).toMatchObject({ status: 'ReadyToTransfer', progress: 50 });
  });

  it('keeps an item Transferring while another download of it still runs', () => {
    const { h, item } = setup();
    const first = h.transfer.watchDownload(item(), 0, 1000);
    const second = h.transfer.watchDownload(item(), 500, 1000);
    first.closed(false);
    expect(item().status).toBe('Transferring');
    second.closed(false);
    expect(item().status).toBe('ReadyToTransfer');
  });

  it('leaves a finished download Transferring until the device acknowledges it, then Synced', () => {
    const { h, alice, item } = setup();
    h.transfer.watchDownload(item(), 0, 1000).closed(true);
    expect(item().status).toBe('Transferring');
    h.transfer.transferred(alice, item().id);
    expect(item()).toMatchObject({ status: 'Synced', progress: 100 });
    // Repeated or unknown acknowledgements change nothing.
    h.transfer.transferred(alice, item().id);
    h.transfer.transferred(alice, anId(77));
    expect(item().status).toBe('Synced');
  });

  it('saves download progress at most every two seconds, on the second half of the scale', () => {
    const { h, item } = setup();
    const watch = h.transfer.watchDownload(item(), 0, 1000);
    h.advance(2500);
    watch.onBytes(500);
    expect(item().progress).toBe(75);
    h.advance(100);
    watch.onBytes(400);
    expect(item().progress).toBe(75);
    h.advance(2500);
    watch.onBytes(0);
    expect(item().progress).toBe(95);
  });
});

describe('Transfer.readyItems', () => {
  it('lists the device’s ready items, only those the caller may see', () => {
    const { h, alice } = setup();
    const carol = h.signIn(aUser('carol'), 'phone');
    h.lib.hiddenFrom.set(userIdOf('carol'), new Set([OTHER]));
    expect(h.transfer.readyItems(alice, 'phone').map((s) => s.Item.Id)).toEqual([MOVIE, OTHER]);
    expect(h.transfer.readyItems(carol, 'phone').map((s) => s.Item.Id)).toEqual([MOVIE]);
  });
});
