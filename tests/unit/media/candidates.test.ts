import { describe, expect, it } from 'vitest';
import { listCandidates } from '../../../src/server/media/candidates.js';

const onDisk = (files: string[]) => ({
  isExecutable: (f: string) => files.includes(f),
  realpath: (f: string) => (f === '/bin/ffmpeg' ? '/usr/bin/ffmpeg' : f),
});

describe('listCandidates', () => {
  it('tries the configured binary, then PATH in order, then the npm package', () => {
    const got = listCandidates('ffmpeg', {
      configured: '/opt/ff/ffmpeg',
      pathEnv: '/usr/local/bin:/usr/bin',
      npm: '/app/node_modules/@ffmpeg-installer/linux-x64/ffmpeg',
      ...onDisk(['/usr/local/bin/ffmpeg', '/usr/bin/ffmpeg']),
    });
    expect(got.map((c) => [c.source, c.path])).toEqual([
      ['configured', '/opt/ff/ffmpeg'],
      ['PATH', '/usr/local/bin/ffmpeg'],
      ['PATH', '/usr/bin/ffmpeg'],
      ['npm', '/app/node_modules/@ffmpeg-installer/linux-x64/ffmpeg'],
    ]);
  });

  it('lists one binary once, however many names lead to it', () => {
    const got = listCandidates('ffmpeg', {
      configured: '/usr/bin/ffmpeg',
      pathEnv: '/bin:/usr/bin',
      ...onDisk(['/bin/ffmpeg', '/usr/bin/ffmpeg']),
    });
    expect(got).toEqual([{ kind: 'ffmpeg', path: '/usr/bin/ffmpeg', source: 'configured' }]);
  });

  it('keeps a configured path that does not exist, so its self-test can say why it was skipped', () => {
    const got = listCandidates('ffprobe', { configured: '/nowhere/ffprobe', pathEnv: '', ...onDisk([]) });
    expect(got).toEqual([{ kind: 'ffprobe', path: '/nowhere/ffprobe', source: 'configured' }]);
  });

  it('ignores relative and empty PATH entries and folders without the binary', () => {
    const got = listCandidates('ffprobe', { pathEnv: '::bin:/usr/games:/usr/bin', ...onDisk(['bin/ffprobe', '/usr/bin/ffprobe']) });
    expect(got.map((c) => c.path)).toEqual(['/usr/bin/ffprobe']);
  });
});
