/**
 * Songs: title, artists, album and numbering from tags first, else from `Artist/Album/[CD1/]01 - Title`
 * folders and names. The album's identity keeps a compilation's tracks together.
 */
import path from 'node:path';
import { isUnder } from '../paths.js';
import type { MediaTags } from '../probe.js';
import { cleanName, splitList, splitNameAndYear } from './names.js';

export interface AudioLayout {
  type: 'Audio';
  name: string;
  artists: string[];
  albumArtist?: string;
  album?: string;
  /** Identity of the album: album artist + album name, or the folder + album name without album-artist tag. */
  albumKey?: string;
  /** The folder that holds the track (cover.jpg lives here). */
  folder: string;
  indexNumber?: number;
  parentIndexNumber?: number;
  year?: number;
  genres: string[];
}

const GENERIC_MUSIC_FOLDERS = new Set(['music', 'audio', 'mp3', 'flac', 'albums', 'songs']);
const DISC_FOLDER = /^(?:cd|disc|disk)[\s._-]*(\d{1,2})$/i;

/** "01 - Title", "01. Title", "1-03 Title" (disc-track) → numbers and the rest. */
export function splitTrackNumber(base: string): { disc?: number; track?: number; rest: string } {
  const dt = /^(\d{1,2})-(\d{1,3})[\s._-]+(.*)$/.exec(base);
  if (dt) return { disc: Number(dt[1]), track: Number(dt[2]), rest: dt[3]! };
  const t = /^(\d{1,3})(?:[\s._-]+|\.\s*)(.*)$/.exec(base);
  if (t && t[2]) return { track: Number(t[1]), rest: t[2] };
  return { rest: base };
}

export function parseAudioPath(root: string, file: string, tags: MediaTags = {}): AudioLayout {
  const folder = path.dirname(file);
  const base = path.parse(file).name;
  const fromName = splitTrackNumber(base);
  // Folder fallbacks: Artist/Album/track or Artist/Album/CD1/track.
  let albumDir = folder;
  let discFromFolder: number | undefined;
  const disc = DISC_FOLDER.exec(path.basename(folder));
  if (disc && isUnder(root, path.dirname(folder))) {
    discFromFolder = Number(disc[1]);
    albumDir = path.dirname(folder);
  }
  const usable = (dir: string) => isUnder(root, dir) && !GENERIC_MUSIC_FOLDERS.has(path.basename(dir).toLowerCase());
  const folderAlbum = usable(albumDir) ? splitNameAndYear(path.basename(albumDir)) : undefined;
  const artistDir = path.dirname(albumDir);
  const folderArtist = folderAlbum && usable(artistDir) ? path.basename(artistDir) : undefined;

  const artists = splitList(tags.artist, /\s*[;|]\s*/);
  if (artists.length === 0 && folderArtist) artists.push(folderArtist);
  const albumArtist = tags.albumArtist ?? artists[0] ?? folderArtist;
  const album = tags.album ?? folderAlbum?.name;
  const albumKey = album
    ? tags.albumArtist
      ? `${tags.albumArtist.toLowerCase()}\u0000${album.toLowerCase()}`
      : // Without an album-artist tag, a compilation's tracks name different artists: the folder holds it together.
        `dir:${albumDir}\u0000${album.toLowerCase()}`
    : undefined;
  return {
    type: 'Audio',
    name: tags.title ?? (cleanName(fromName.rest) || cleanName(base)),
    artists,
    albumArtist,
    album,
    albumKey,
    folder: albumDir,
    indexNumber: tags.track ?? fromName.track,
    parentIndexNumber: tags.disc ?? discFromFolder ?? fromName.disc,
    year: tags.year ?? folderAlbum?.year,
    genres: splitList(tags.genre, /\s*[;|/,]\s*/),
  };
}
