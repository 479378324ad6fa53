import { describe, expect, it } from 'vitest';
import { isSyncable } from '../../src/shared/syncable.js';

const file = (mediaType: string) => ({ isFolder: false, mediaType, hasFile: true });
const folder = { isFolder: true, hasFile: false };

describe('isSyncable', () => {
  it('accepts library folders, playlists, series, seasons, albums and box sets', () => {
    for (const t of ['CollectionFolder', 'UserView', 'Playlist', 'Series', 'Season', 'MusicAlbum', 'BoxSet']) {
      expect(isSyncable(t, folder), t).toBe(true);
    }
  });

  it('accepts items-by-name, Person included', () => {
    for (const t of ['Genre', 'MusicGenre', 'GameGenre', 'Studio', 'MusicArtist', 'Person']) {
      expect(isSyncable(t, { isFolder: t !== 'Person', hasFile: false }), t).toBe(true);
    }
  });

  it('never offers a Year', () => {
    expect(isSyncable('Year', folder)).toBe(false);
  });

  it('accepts video, audio, photo, book and game items backed by a real file', () => {
    expect(isSyncable('Movie', file('Video'))).toBe(true);
    expect(isSyncable('Episode', file('Video'))).toBe(true);
    expect(isSyncable('Audio', file('Audio'))).toBe(true);
    expect(isSyncable('Photo', file('Photo'))).toBe(true);
    expect(isSyncable('Book', file('Book'))).toBe(true);
  });

  it('refuses virtual or file-less items and unknown folders', () => {
    expect(isSyncable('Episode', { isFolder: false, mediaType: 'Video', hasFile: false })).toBe(false);
    expect(isSyncable('Episode', { ...file('Video'), isVirtual: true })).toBe(false);
    expect(isSyncable('Movie', { isFolder: false, hasFile: true })).toBe(false);
    expect(isSyncable('Channel', folder)).toBe(false);
  });
});
