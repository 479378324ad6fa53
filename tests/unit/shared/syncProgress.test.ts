import { describe, expect, it } from 'vitest';
import { SYNC_JOB_ITEM_STATUSES, type SyncJobItemStatus } from '../../../src/shared/api/sync.js';
import {
  describeItemSync,
  describeJobSync,
  deviceJobDownloads,
  summarizeJobItems,
  syncProgressText,
  type DeviceDownload,
  type SyncPhase,
} from '../../../src/shared/syncProgress.js';

const MB = 1_000_000;
const SIZE = 5.7 * MB;

const DEVICE: Record<string, DeviceDownload | undefined> = {
  none: undefined,
  fresh: { step: 'media', bytes: 0, size: SIZE },
  moving: { step: 'media', bytes: 2.1 * MB, size: SIZE },
  paused: { step: 'media', bytes: 2.1 * MB, size: SIZE, blocked: 'user' },
  quota: { step: 'media', bytes: 2.1 * MB, size: SIZE, blocked: 'quota' },
  error: { step: 'media', bytes: 2.1 * MB, size: SIZE, blocked: 'error' },
  browser: { step: 'media', bytes: 0, size: SIZE, byBrowser: true },
  extras: { step: 'extras', bytes: SIZE, size: SIZE },
  transfer: { step: 'transfer', bytes: SIZE, size: SIZE },
  synced: { step: 'synced', bytes: SIZE, size: SIZE },
};
const STATES = Object.keys(DEVICE);

/** The device's own answer for a converted item, by download state. */
const onDevice: SyncPhase[] = [
  'ready',
  'ready',
  'downloading',
  'paused',
  'stopped',
  'retrying',
  'downloading',
  'finishing',
  'finishing',
  'done',
];
const all = (phase: SyncPhase): SyncPhase[] => STATES.map(() => phase);

/** Expected phase per server status (rows) × device state (columns, in STATES order). */
const EXPECTED: Record<SyncJobItemStatus, SyncPhase[]> = {
  // Re-queued or converting on the server: the server's state wins over an older copy's download state.
  Queued: all('queued'),
  Converting: all('converting'),
  ReadyToTransfer: onDevice,
  Transferring: ['downloading', ...onDevice.slice(1)],
  Synced: ['done', ...onDevice.slice(1)],
  RemovedFromDevice: all('removed'),
  Failed: all('failed'),
  Cancelled: all('cancelled'),
};

describe('describeItemSync: every server status × download state', () => {
  for (const status of SYNC_JOB_ITEM_STATUSES) {
    it.each(STATES.map((state, i) => [state, EXPECTED[status][i]!] as const))(`${status} with the device %s → %s`, (state, phase) => {
      expect(describeItemSync({ Status: status, Progress: 30, Size: SIZE }, DEVICE[state]).phase).toBe(phase);
    });
  }
});

describe('describeItemSync: the numbers', () => {
  it('shows conversion as its own 0–100 %, never the wire’s mixed scale', () => {
    expect(describeItemSync({ Status: 'Converting', Progress: 20 })).toMatchObject({ phase: 'converting', percent: 40 });
    expect(describeItemSync({ Status: 'Converting', Progress: 80 }).percent).toBe(100);
  });

  it('starts the download at 0 % when converted ("Ready to download 50 %" mixed the two)', () => {
    expect(describeItemSync({ Status: 'ReadyToTransfer', Progress: 50, Size: SIZE })).toEqual({
      phase: 'ready',
      percent: 0,
      bytes: 0,
      total: SIZE,
    });
  });

  it('uses this device’s bytes (as they arrive) over what the server served', () => {
    const p = describeItemSync({ Status: 'Transferring', Progress: 90, Size: SIZE }, DEVICE.moving);
    expect(p).toMatchObject({ phase: 'downloading', bytes: 2.1 * MB, total: SIZE, percent: 36, fromDevice: true });
  });

  it('turns the server’s served share into bytes for another device', () => {
    expect(describeItemSync({ Status: 'Transferring', Progress: 75, Size: 4 * MB })).toMatchObject({
      bytes: 2 * MB,
      total: 4 * MB,
      percent: 50,
    });
  });

  it('never shows more bytes than the file', () => {
    expect(describeItemSync(undefined, { step: 'media', bytes: 9 * MB, size: SIZE })).toMatchObject({ bytes: SIZE, percent: 100 });
  });

  it('says which job already put an item on the device instead of "Cancelled"', () => {
    const p = describeItemSync({ Status: 'Cancelled', ThroughJobName: 'Weekend films', ThroughJobItemStatus: 'Synced' });
    expect(p.phase).toBe('throughOtherJob');
    expect(syncProgressText(p, { thisDevice: true })).toBe('On this device (through job “Weekend films”)');
    const coming = describeItemSync({ Status: 'Cancelled', ThroughJobName: 'Weekend films', ThroughJobItemStatus: 'Converting' });
    expect(syncProgressText(coming, { thisDevice: true })).toBe('Coming to this device through job “Weekend films”');
  });
});

describe('syncProgressText', () => {
  it.each<[Parameters<typeof syncProgressText>[0], string]>([
    [{ phase: 'queued', percent: 0 }, 'Waiting to convert'],
    [{ phase: 'converting', percent: 42 }, 'Converting 42 %'],
    [{ phase: 'ready', percent: 0, bytes: 0, total: SIZE }, 'Ready to download · 5.7 MB'],
    [{ phase: 'downloading', percent: 36, bytes: 2.1 * MB, total: SIZE }, 'Downloading 2.1 MB of 5.7 MB'],
    [
      { phase: 'downloading', percent: 36, bytes: 2.1 * MB, total: SIZE, byBrowser: true },
      'Downloading in the background 2.1 MB of 5.7 MB',
    ],
    [{ phase: 'paused', percent: 36, bytes: 2.1 * MB, total: SIZE }, 'Paused at 2.1 MB of 5.7 MB'],
    [{ phase: 'stopped', percent: 36, bytes: 2.1 * MB, total: SIZE }, 'Stopped: storage full at 2.1 MB of 5.7 MB'],
    [{ phase: 'retrying', percent: 36, bytes: 2.1 * MB, total: SIZE }, 'Waiting to retry at 2.1 MB of 5.7 MB'],
    [{ phase: 'finishing', percent: 100 }, 'Finishing…'],
    [{ phase: 'done', percent: 100 }, 'On the device'],
    [{ phase: 'failed', percent: 0 }, 'Failed'],
    [{ phase: 'cancelled', percent: 0 }, 'Cancelled'],
    [{ phase: 'removed', percent: 0 }, 'Removed from the device'],
  ])('%j → %s', (p, text) => {
    expect(syncProgressText(p)).toBe(text);
  });

  it('names this device when the progress is about it', () => {
    expect(syncProgressText({ phase: 'done', percent: 100 }, { thisDevice: true })).toBe('On this device');
  });
});

describe('a job', () => {
  const items = (...s: Array<[SyncJobItemStatus, number?, number?]>) => s.map(([Status, Progress, Size]) => ({ Status, Progress, Size }));

  it('counts items by phase, with the mean conversion % and the converted files’ bytes', () => {
    const summary = summarizeJobItems(
      items(
        ['Queued'],
        ['Converting', 10],
        ['Converting', 30],
        ['ReadyToTransfer', 50, 4 * MB],
        ['Transferring', 75, 2 * MB],
        ['Synced', 100, 1 * MB],
        ['Failed'],
        ['Cancelled'],
      ),
    );
    expect(summary).toEqual({
      Queued: 1,
      Converting: 2,
      ConvertingPercent: 40,
      Ready: 2,
      Synced: 1,
      Failed: 1,
      Cancelled: 1,
      Removed: 0,
      ThroughOtherJob: 0,
      BytesServed: 1 * MB + 1 * MB,
      BytesTotal: 7 * MB,
    });
  });

  it('downloads while converted items are not on the device, with this device’s bytes when it is the target', () => {
    const summary = summarizeJobItems(items(['Converting', 10], ['Transferring', 90, 4 * MB]));
    const device = deviceJobDownloads([{ step: 'media', bytes: 1 * MB, size: 4 * MB }]);
    expect(describeJobSync(summary, device)).toMatchObject({
      phase: 'downloading',
      bytes: 1 * MB,
      total: 4 * MB,
      percent: 25,
      fromDevice: true,
    });
    expect(describeJobSync(summary)).toMatchObject({ phase: 'downloading', bytes: 3.2 * MB, percent: 80 });
  });

  it('converts once everything converted is on the device, then is done', () => {
    const converting = summarizeJobItems(items(['Converting', 10], ['Synced', 100, 4 * MB]));
    expect(describeJobSync(converting, deviceJobDownloads([{ step: 'synced', bytes: 4 * MB, size: 4 * MB }]))).toMatchObject({
      phase: 'converting',
      percent: 20,
      onDevice: 1,
      wanted: 2,
    });
    expect(describeJobSync(summarizeJobItems(items(['Synced', 100, 4 * MB])))).toMatchObject({ phase: 'done', percent: 100 });
  });

  it('is paused when every unfinished download of this device is paused, stopped when storage is full', () => {
    const summary = summarizeJobItems(items(['Transferring', 60, 4 * MB]));
    expect(describeJobSync(summary, deviceJobDownloads([{ step: 'media', bytes: 1, size: 4 * MB, blocked: 'user' }])).phase).toBe('paused');
    expect(describeJobSync(summary, deviceJobDownloads([{ step: 'media', bytes: 1, size: 4 * MB, blocked: 'quota' }])).phase).toBe(
      'stopped',
    );
  });

  it('reads "On the device" rather than "Cancelled" when its items are on the device through another job', () => {
    const summary = summarizeJobItems([{ Status: 'Cancelled', ThroughJobName: 'Films', ThroughJobItemStatus: 'Synced' }]);
    expect(describeJobSync(summary).phase).toBe('throughOtherJob');
  });

  it('is cancelled only when its items were cancelled', () => {
    expect(describeJobSync(summarizeJobItems(items(['Cancelled']))).phase).toBe('cancelled');
  });
});
