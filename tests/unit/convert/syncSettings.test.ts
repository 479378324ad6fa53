import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/server/db/migrate.js';
import { DEFAULT_SYNC_OPTIONS, normalizeSyncOptions, SyncSettings } from '../../../src/server/convert/syncSettings.js';
import { SettingsRepo } from '../../../src/server/system/settingsRepo.js';
import { isBareName, outputFileName, partialName, isPartialName } from '../../../src/server/convert/outputLayout.js';

describe('SyncOptions', () => {
  it('defaults to one conversion at a time on every core (0: no thread cap; nice keeps the box responsive)', () => {
    expect(normalizeSyncOptions({})).toEqual({
      UploadSpeedLimitBytes: 0,
      TranscodingCpuCoreLimit: 0,
      EnableFullSpeedTranscoding: false,
      MaxConcurrentConversions: 1,
    });
  });

  it('validates ranges and types, ignoring fields it does not keep', () => {
    expect(
      normalizeSyncOptions({ TranscodingCpuCoreLimit: '0', MaxConcurrentConversions: 2, EnableFullSpeedTranscoding: 'true', Foo: 1 }),
    ).toMatchObject({
      TranscodingCpuCoreLimit: 0,
      MaxConcurrentConversions: 2,
      EnableFullSpeedTranscoding: true,
    });
    expect(() => normalizeSyncOptions({ TranscodingCpuCoreLimit: 9 })).toThrow(/0 to 8/);
    expect(() => normalizeSyncOptions({ MaxConcurrentConversions: 0 })).toThrow(/1 to 16/);
    expect(() => normalizeSyncOptions({ TemporaryPath: 'relative/dir' })).toThrow(/absolute/);
    expect(normalizeSyncOptions({ TemporaryPath: '' })).not.toHaveProperty('TemporaryPath');
  });

  it('stores through the settings repo, announces changes, and puts the work dir under the data dir by default', () => {
    const db = new Database(':memory:');
    migrate(db);
    const s = new SyncSettings(new SettingsRepo(db), '/data');
    expect(s.get()).toEqual(DEFAULT_SYNC_OPTIONS);
    expect(s.workDir()).toBe('/data/sync');
    const seen: number[] = [];
    s.onChange((o) => seen.push(o.MaxConcurrentConversions));
    s.update({ MaxConcurrentConversions: 3, TemporaryPath: '/scratch' });
    expect(seen).toEqual([3]);
    expect(s.get()).toMatchObject({ MaxConcurrentConversions: 3, TranscodingCpuCoreLimit: 0 });
    expect(s.workDir()).toBe('/scratch');
  });
});

describe('output names', () => {
  it('are bare, safe and keep the container extension last', () => {
    expect(outputFileName('/m/Film: Part 1?.mkv', 'mp4')).toBe('Film_ Part 1_.mp4');
    expect(outputFileName('/m/.hidden.mkv', 'mp4')).toBe('hidden.mp4');
    expect(isBareName('../x')).toBe(false);
    expect(isBareName('a/b')).toBe(false);
    expect(isBareName('a.vtt')).toBe(true);
    const p = partialName('Film.mp4');
    expect(p).toMatch(/^Film\.partial-[0-9a-f]{8}\.mp4$/);
    expect(isPartialName(p)).toBe(true);
  });
});
