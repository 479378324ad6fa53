/**
 * Where things are: where a click on an item goes, and the app's main destinations with who may use them.
 * The desktop header and the phone's tab bar are built from the same list, so both offer the same
 * screens, and neither offers what the user may not use (no *Sync jobs* without `EnableSync`, no
 * *Dashboard* for non-administrators).
 */
import type { RouteLocationNormalizedLoaded, RouteLocationRaw } from 'vue-router';
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

export type Destination = 'home' | 'search' | 'browse' | 'downloads' | 'jobs' | 'upload' | 'camera-uploads' | 'account' | 'admin';

export interface NavEntry {
  id: Destination;
  label: string;
  to: RouteLocationRaw;
}

export interface NavRights {
  canSync: boolean;
  canUpload: boolean;
  isAdministrator: boolean;
}

const ENTRIES: Record<Destination, NavEntry> = {
  home: { id: 'home', label: 'Home', to: { name: 'home' } },
  search: { id: 'search', label: 'Search', to: { name: 'search' } },
  browse: { id: 'browse', label: 'Browse', to: { name: 'discover', params: { kind: 'genres' } } },
  downloads: { id: 'downloads', label: 'Downloads', to: { name: 'on-device' } },
  jobs: { id: 'jobs', label: 'Sync jobs', to: { name: 'sync-jobs' } },
  upload: { id: 'upload', label: 'Upload', to: { name: 'upload' } },
  'camera-uploads': { id: 'camera-uploads', label: 'Camera uploads', to: { name: 'camera-uploads' } },
  account: { id: 'account', label: 'Account', to: { name: 'account' } },
  admin: { id: 'admin', label: 'Dashboard', to: { name: 'admin-sync' } },
};

function allowed(id: Destination, rights: NavRights): boolean {
  if (id === 'jobs') return rights.canSync;
  if (id === 'admin') return rights.isAdministrator;
  if (id === 'upload') return rights.canUpload;
  return true;
}

/** The desktop header's links, left to right. */
export function headerEntries(rights: NavRights): NavEntry[] {
  return (['search', 'browse', 'jobs', 'downloads', 'upload', 'account', 'admin'] as const)
    .filter((id) => allowed(id, rights))
    .map((id) => ENTRIES[id]);
}

/** The phone's tab bar (More is added by the bar itself): Downloads is always there. */
export function tabEntries(rights: NavRights): NavEntry[] {
  return (['home', 'search', 'downloads', 'jobs'] as const).filter((id) => allowed(id, rights)).map((id) => ENTRIES[id]);
}

/** What the phone's More sheet lists. */
export function moreEntries(rights: NavRights): NavEntry[] {
  return (['browse', 'upload', 'camera-uploads', 'account', 'admin'] as const).filter((id) => allowed(id, rights)).map((id) => ENTRIES[id]);
}

/** Which destination a page belongs to (a job's page is under Sync jobs, the users tab under Dashboard). */
export function sectionOf(route: Pick<RouteLocationNormalizedLoaded, 'path' | 'name'>): Destination | undefined {
  const p = route.path;
  if (p === '/') return 'home';
  if (p.startsWith('/search')) return 'search';
  if (p.startsWith('/discover')) return 'browse';
  if (p.startsWith('/on-device')) return 'downloads';
  if (p.startsWith('/jobs')) return 'jobs';
  if (p.startsWith('/upload')) return 'upload';
  if (p.startsWith('/camera-uploads')) return 'camera-uploads';
  if (p.startsWith('/account')) return 'account';
  if (p.startsWith('/admin')) return 'admin';
  return undefined;
}
