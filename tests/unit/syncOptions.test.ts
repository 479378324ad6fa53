import { describe, expect, it } from 'vitest';
import { syncDialogOptions, type SelectedItem } from '../../src/shared/syncOptions.js';

const movie: SelectedItem = { Type: 'Movie', IsFolder: false, MediaType: 'Video' };
const episode: SelectedItem = { Type: 'Episode', IsFolder: false, MediaType: 'Video' };
const song: SelectedItem = { Type: 'Audio', IsFolder: false, MediaType: 'Audio' };
const folder = (Type: string): SelectedItem => ({ Type, IsFolder: true });
const byName = (Type: string): SelectedItem => ({ Type, IsFolder: false });

describe('syncDialogOptions', () => {
  it('gives a category every option', () => {
    expect(syncDialogOptions({ category: 'Latest', items: [movie] })).toEqual([
      'Name',
      'Quality',
      'UnwatchedOnly',
      'SyncNewContent',
      'ItemLimit',
      'Profile',
    ]);
  });

  it('gives one video quality and profile only', () => {
    expect(syncDialogOptions({ items: [movie] })).toEqual(['Quality', 'Profile']);
  });

  it('adds UnwatchedOnly and Name for several videos', () => {
    expect(syncDialogOptions({ items: [movie, episode] })).toEqual(['Name', 'Quality', 'UnwatchedOnly', 'Profile']);
  });

  it('gives a song quality and profile', () => {
    expect(syncDialogOptions({ items: [song] })).toEqual(['Quality', 'Profile']);
  });

  it('gives albums, artists and music genres an item limit and new content', () => {
    for (const t of ['MusicAlbum', 'MusicArtist', 'MusicGenre']) {
      const item = t === 'MusicAlbum' ? folder(t) : byName(t);
      expect(syncDialogOptions({ items: [item] }), t).toEqual(['Quality', 'SyncNewContent', 'ItemLimit', 'Profile']);
    }
  });

  it('gives genres, studios and people the video options too', () => {
    for (const t of ['Genre', 'Studio', 'GameGenre', 'Person']) {
      expect(syncDialogOptions({ items: [byName(t)] }), t).toEqual(['Quality', 'UnwatchedOnly', 'SyncNewContent', 'ItemLimit', 'Profile']);
    }
  });

  it('gives other folders (series, season, playlist) unwatched-only, new content and a limit', () => {
    for (const t of ['Series', 'Season', 'Playlist', 'BoxSet', 'CollectionFolder']) {
      expect(syncDialogOptions({ items: [folder(t)] }), t).toEqual(['Quality', 'UnwatchedOnly', 'SyncNewContent', 'ItemLimit', 'Profile']);
    }
  });

  it('lets the first item decide the row and any folder add new content', () => {
    expect(syncDialogOptions({ items: [song, folder('MusicAlbum')] })).toEqual([
      'Name',
      'Quality',
      'SyncNewContent',
      'ItemLimit',
      'Profile',
    ]);
    expect(syncDialogOptions({ items: [movie, folder('Season')] })).toEqual([
      'Name',
      'Quality',
      'UnwatchedOnly',
      'SyncNewContent',
      'ItemLimit',
      'Profile',
    ]);
  });

  it('offers nothing to choose for a photo, and nothing without items', () => {
    expect(syncDialogOptions({ items: [{ Type: 'Photo', IsFolder: false, MediaType: 'Photo' }] })).toEqual([]);
    expect(syncDialogOptions({ items: [] })).toEqual([]);
  });
});
