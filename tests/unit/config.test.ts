import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_UPLOAD_BYTES, loadConfig } from '../../src/server/config.js';

describe('loadConfig', () => {
  it('reads every setting from the environment once, with the documented defaults', () => {
    const c = loadConfig({}, '/srv/stowaway');
    expect(c).toMatchObject({ port: 8096, host: '127.0.0.1', dataDir: path.resolve('/srv/stowaway/data'), mediaDirs: [], watch: true });
    expect(c.maxUploadBytes).toBe(DEFAULT_MAX_UPLOAD_BYTES);
    expect(c.streamIdleSeconds).toBeUndefined();
    expect(c.maxStreams).toBeUndefined();
    expect(c.toolchainDiscovery).toBe(true);
  });

  it('takes the playback limits here, not in the playback wiring', () => {
    const c = loadConfig({ STOWAWAY_STREAM_IDLE_SECONDS: '45', STOWAWAY_MAX_STREAMS: ' 6 ' }, '/srv');
    expect(c.streamIdleSeconds).toBe(45);
    expect(c.maxStreams).toBe(6);
  });

  it('refuses a malformed number at start instead of silently using the default', () => {
    expect(() => loadConfig({ STOWAWAY_MAX_STREAMS: 'lots' }, '/srv')).toThrow(
      /STOWAWAY_MAX_STREAMS must be a positive whole number of streams/,
    );
    expect(() => loadConfig({ STOWAWAY_STREAM_IDLE_SECONDS: '-5' }, '/srv')).toThrow(/STOWAWAY_STREAM_IDLE_SECONDS/);
    expect(() => loadConfig({ PORT: '70000' }, '/srv')).toThrow(/PORT/);
  });
});
