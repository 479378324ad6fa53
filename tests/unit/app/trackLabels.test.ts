/** One name per track, online and offline (src/app/player/trackLabels.ts). */
import { describe, expect, it } from 'vitest';
import { audioLabel, labelTracks, languageName, subtitleLabel } from '../../../src/app/player/trackLabels';

describe('track labels', () => {
  it('names languages from two- and three-letter codes (bibliographic ones too) and BCP 47 tags', () => {
    expect(languageName('eng')).toBe('English');
    expect(languageName('en')).toBe('English');
    expect(languageName('fre')).toBe('French');
    expect(languageName('ger')).toBe('German');
    expect(languageName('pt-BR')).toBe('Brazilian Portuguese');
  });

  it('has no name for "undetermined" or nothing, and shows an unknown code as it is', () => {
    expect(languageName('und')).toBeUndefined();
    expect(languageName(undefined)).toBeUndefined();
    expect(languageName('qqq')).toBe('QQQ');
  });

  it('labels subtitles by language, with a title that adds something and "forced"', () => {
    expect(subtitleLabel({ Index: 3, Language: 'eng' })).toBe('English');
    expect(subtitleLabel({ Index: 3, Language: 'eng', Title: 'eng' })).toBe('English');
    expect(subtitleLabel({ Index: 3, Language: 'eng', Title: 'English SDH' })).toBe('English SDH');
    expect(subtitleLabel({ Index: 3, Language: 'fre', Title: 'Commentary' })).toBe('French – Commentary');
    expect(subtitleLabel({ Index: 3, Language: 'eng', IsForced: true })).toBe('English (forced)');
    expect(subtitleLabel({ Index: 3 }, 2)).toBe('Subtitles 2');
  });

  it('labels audio with language, codec and channels', () => {
    expect(audioLabel({ Index: 1, Language: 'jpn', Codec: 'ac3', Channels: 6 })).toBe('Japanese · AC3 · 5.1');
    expect(audioLabel({ Index: 1 })).toBe('Track 1');
  });

  it('tells two tracks that would read the same apart: by source, then by number', () => {
    const tracks = [
      { Index: 2, Language: 'eng', IsExternal: false },
      { Index: 3, Language: 'eng', IsExternal: true },
      { Index: 4, Language: 'fre', IsExternal: false },
    ];
    expect(labelTracks(tracks, subtitleLabel)).toEqual(['English (embedded)', 'English (external)', 'French']);
    const same = [
      { Index: 2, Language: 'eng', IsExternal: false },
      { Index: 3, Language: 'eng', IsExternal: false },
    ];
    expect(labelTracks(same, subtitleLabel)).toEqual(['English (embedded) 1', 'English (embedded) 2']);
  });
});
