/**
 * Item types that more than one part of the library treats alike, defined once: the items-by-name (genres,
 * studios, people, artists — folders of the items that link to them), and the folders that keep their own
 * order of entries.
 */
export const BY_NAME_TYPES = ['Genre', 'MusicGenre', 'Studio', 'Person', 'MusicArtist'] as const;
export type ByNameType = (typeof BY_NAME_TYPES)[number];

const BY_NAME_SET: ReadonlySet<string> = new Set(BY_NAME_TYPES);

export function isByNameType(type: string): type is ByNameType {
  return BY_NAME_SET.has(type);
}

/** Folders whose children keep their own order in `folder_entries`. */
export const ENTRY_FOLDER_TYPES = ['BoxSet', 'Playlist'] as const;

export function isEntryFolderType(type: string): type is (typeof ENTRY_FOLDER_TYPES)[number] {
  return type === 'BoxSet' || type === 'Playlist';
}
