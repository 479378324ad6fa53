/** "Preparing the library…" in words (src/app/views/libraryPreparation.ts), from the server's scan progress. */
import { describe, expect, it } from 'vitest';
import { describePreparation } from '../../../src/app/views/libraryPreparation';

describe('library preparation words', () => {
  it('says which step the server is at, with files done of total and a bar when the total is known', () => {
    expect(describePreparation({ Phase: 'Probing', Done: 12, Total: 40 })).toEqual({
      text: 'Reading files: 12 of 40 files',
      done: 12,
      total: 40,
    });
    expect(describePreparation({ Phase: 'Images', Done: 1, Total: 1 })).toEqual({ text: 'Taking artwork: 1 of 1 file', done: 1, total: 1 });
    expect(describePreparation({ Phase: 'GeneratingDemo', Done: 3, Total: 11 }).text).toBe('Making the demo library: 3 of 11 files');
  });

  it('has no bar while the total is unknown (walking the folders) or nothing is reported', () => {
    expect(describePreparation({ Phase: 'Walking', Done: 0, Total: 0 })).toEqual({ text: 'Looking for media files' });
    expect(describePreparation(undefined)).toEqual({ text: 'The server is reading your media for the first time.' });
    expect(describePreparation({ Phase: 'Idle', Done: 0, Total: 0 }).total).toBeUndefined();
  });
});
