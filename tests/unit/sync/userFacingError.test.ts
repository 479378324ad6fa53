import { describe, expect, it } from 'vitest';
import { userFacingError } from '../../../src/server/sync/userFacingError.js';

const roots = { library: ['/srv/media', '/srv/more media/'], hidden: ['/var/lib/stowaway/sync', '/var/lib/stowaway'] };

describe('userFacingError', () => {
  it('shows a media file relative to its library folder, spaces and all', () => {
    expect(userFacingError('/srv/media/Movies/Gone Source (2020).mkv: No such file or directory', roots)).toBe(
      'Movies/Gone Source (2020).mkv: No such file or directory',
    );
    expect(userFacingError("can't open '/srv/more media/Shows/A/B.mkv'", roots)).toBe("can't open 'Shows/A/B.mkv'");
  });

  it('shows a file in the data or work folder by its name only, and the folder itself not at all', () => {
    expect(userFacingError("ENOENT: no such file or directory, open '/var/lib/stowaway/sync/ab/cd/out.mp4.partial'", roots)).toBe(
      "ENOENT: no such file or directory, open 'out.mp4.partial'",
    );
    expect(userFacingError('No space left on device in the sync work folder /var/lib/stowaway/sync (ENOSPC)', roots)).toBe(
      'No space left on device in the sync work folder (ENOSPC)',
    );
  });

  it('prefers the longest root: a library folder inside the data folder stays library-relative', () => {
    const nested = { library: ['/var/lib/stowaway/camera-uploads'], hidden: ['/var/lib/stowaway'] };
    expect(userFacingError('/var/lib/stowaway/camera-uploads/alice/phone/clip.mp4: Invalid data', nested)).toBe(
      'alice/phone/clip.mp4: Invalid data',
    );
  });

  it('reduces any other absolute path to its file name, and leaves codec names and fractions alone', () => {
    expect(userFacingError('ffmpeg not found at /opt/ff/bin/ffmpeg; video/mp4 at 1/2 speed', roots)).toBe(
      'ffmpeg not found at ffmpeg; video/mp4 at 1/2 speed',
    );
    expect(userFacingError('C:\\Users\\srv\\data\\x.mkv failed')).toBe('x.mkv failed');
  });

  it('drops control characters (a NUL once cut a path in two) and bounds the length', () => {
    expect(userFacingError('bad\u0000name /var/lib/stowaway/sync/k/f.mp\u00004', roots)).not.toMatch(/stowaway|\u0000/);
    expect(userFacingError('x'.repeat(2000)).length).toBeLessThanOrEqual(500);
  });
});
