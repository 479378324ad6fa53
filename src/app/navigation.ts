/** Where a click on an item goes: containers you browse open as a list, everything else as a detail page. */
import type { RouteLocationRaw } from 'vue-router';
import type { BaseItemDto } from '../shared/api/items';

/** Series and albums have their own detail page (seasons, tracks); these are plain containers. */
const BROWSED_AS_LIST = new Set([
  'CollectionFolder',
  'Folder',
  'BoxSet',
  'Playlist',
  'MusicArtist',
  'Genre',
  'MusicGenre',
  'Studio',
  'Person',
  'UserView',
]);

export function itemRoute(item: BaseItemDto): RouteLocationRaw {
  return BROWSED_AS_LIST.has(item.Type) ? { name: 'list', params: { parentId: item.Id } } : { name: 'item', params: { id: item.Id } };
}
