/** Which sync dialog options a selection gets (API.md §6). Pure over the selected items' types and flags. */
import type { SyncCategory, SyncJobOption } from './api/sync.js';
import { SYNC_JOB_OPTIONS } from './api/sync.js';
import { SYNCABLE_BY_NAME_TYPES } from './syncable.js';

/** What the rules need to know about a selected item. */
export interface SelectedItem {
  Type: string;
  IsFolder: boolean;
  MediaType?: string;
}

export interface SyncSelection {
  category?: SyncCategory;
  /** The selected items that can be synced, in request order (the first one decides the row). */
  items: readonly SelectedItem[];
}

const MUSIC_ROW = new Set(['MusicAlbum', 'MusicArtist', 'MusicGenre']);
const BY_NAME_ROW = new Set(['Genre', 'Studio', 'GameGenre', 'Person']);

function isVideo(item: SelectedItem): boolean {
  return !item.IsFolder && item.MediaType === 'Video';
}

function isAudio(item: SelectedItem): boolean {
  return !item.IsFolder && (item.MediaType === 'Audio' || item.Type === 'Audio');
}

function rowFor(first: SelectedItem, count: number): SyncJobOption[] {
  if (MUSIC_ROW.has(first.Type)) return ['Quality', 'Profile', 'ItemLimit'];
  // Ours: a genre or a person can hold videos, so it gets the video options too.
  if (BY_NAME_ROW.has(first.Type)) return ['Quality', 'Profile', 'UnwatchedOnly', 'SyncNewContent', 'ItemLimit'];
  if (isVideo(first)) return count > 1 ? ['Quality', 'Profile', 'UnwatchedOnly'] : ['Quality', 'Profile'];
  if (isAudio(first)) return ['Quality', 'Profile'];
  if (first.IsFolder) return ['Quality', 'Profile', 'UnwatchedOnly'];
  // Photos, books, games are always served as they are: nothing to choose.
  return [];
}

/**
 * The dialog's Options, in enum order. A category gets everything; else the first item's row, then
 * SyncNewContent + ItemLimit when any item is a folder or item-by-name (it can grow), then Name when
 * there is more than one item.
 */
export function syncDialogOptions(selection: SyncSelection): SyncJobOption[] {
  if (selection.category) return ['Name', 'Quality', 'UnwatchedOnly', 'SyncNewContent', 'ItemLimit', 'Profile'];
  const { items } = selection;
  if (items.length === 0) return [];
  const options = new Set<SyncJobOption>(rowFor(items[0], items.length));
  if (items.some((i) => i.IsFolder || SYNCABLE_BY_NAME_TYPES.has(i.Type))) {
    options.add('SyncNewContent');
    options.add('ItemLimit');
  }
  if (items.length > 1) options.add('Name');
  return SYNC_JOB_OPTIONS.filter((o) => options.has(o));
}
