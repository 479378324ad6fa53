/**
 * Pure path → library item rules: which files are media, how episodes, movies, music and photos are
 * recognised from their folders and names, and which sidecar subtitles belong to a video. No I/O, so every
 * naming convention is a unit test (tests/unit/library/layout.test.ts).
 */
import path from 'node:path';
import { isUnder } from './paths.js';
import type { MediaTags } from './probe.js';

export type FileKind = 'video' | 'audio' | 'image' | 'subtitle';

const VIDEO_EXTS = new Set(['mp4', 'm4v', 'mkv', 'webm', 'avi', 'mov', 'wmv', 'ts', 'm2ts', 'mts', 'mpg', 'mpeg', 'flv', 'ogv', '3gp']);
const AUDIO_EXTS = new Set(['mp3', 'flac', 'm4a', 'm4b', 'aac', 'ogg', 'oga', 'opus', 'wav', 'wma', 'alac', 'aiff']);
// Photos are read with sharp (imageCodec.ts): AVIF and HEIF containers too; HEVC-coded HEIC needs heif-convert.
const IMAGE_EXTS = new Set(['jpg', 'jpeg', 'png', 'webp', 'gif', 'heic', 'heif', 'avif']);
const SUBTITLE_CODEC_BY_EXT: Record<string, string> = { srt: 'srt', vtt: 'vtt', ass: 'ass', ssa: 'ssa' };

export function extensionOf(file: string): string {
  return path.extname(file).slice(1).toLowerCase();
}

export function fileKind(file: string): FileKind | undefined {
  const ext = extensionOf(file);
  if (VIDEO_EXTS.has(ext)) return 'video';
  if (AUDIO_EXTS.has(ext)) return 'audio';
  if (IMAGE_EXTS.has(ext)) return 'image';
  if (ext in SUBTITLE_CODEC_BY_EXT) return 'subtitle';
  return undefined;
}

/** Dot-files, and the temp names our own writers use, are never library content. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('@eaDir') || name === '#recycle' || name === 'lost+found';
}

const ARTWORK_BASES = new Set([
  'cover',
  'folder',
  'poster',
  'fanart',
  'backdrop',
  'background',
  'banner',
  'logo',
  'clearart',
  'clearlogo',
  'thumb',
  'landscape',
  'disc',
  'cdart',
  'albumart',
  'albumartsmall',
  'front',
  'art',
]);

/**
 * Images that decorate media (cover.jpg, poster.jpg, `Movie-poster.jpg`) are artwork, not Photo items.
 * An image in a folder that holds video or audio is artwork too: photo libraries do not mix with them.
 */
export function isArtworkImage(fileName: string, folderHasMedia: boolean): boolean {
  if (folderHasMedia) return true;
  const base = path.parse(fileName).name.toLowerCase();
  if (ARTWORK_BASES.has(base)) return true;
  return /[-.](poster|fanart|backdrop|banner|thumb|landscape|logo)$/.test(base) || /^season\d*-poster$/.test(base);
}

/** Preferred folder images for a series, season, album or movie, best first. */
export const FOLDER_IMAGE_NAMES = ['folder', 'poster', 'cover', 'front', 'albumart', 'thumb'];

// ---------------------------------------------------------------------------------------------
// Names

/** Release names use dots or underscores for spaces ("Big.Buck.Test.2008.1080p"); people use spaces. */
export function cleanName(raw: string): string {
  let s = raw.trim();
  if (!s.includes(' ') && /[._]/.test(s)) s = s.replace(/[._]+/g, ' ');
  return s.replace(/\s+/g, ' ').trim();
}

/** "Name (2010)", "Name [2010]", "Name.2010.1080p.BluRay" → { name, year }. */
export function splitNameAndYear(raw: string): { name: string; year?: number } {
  const bracket = /^(.*?)\s*[([]((?:18|19|20)\d\d)[)\]](.*)$/.exec(raw);
  if (bracket && bracket[1]!.trim()) return { name: cleanName(bracket[1]!).replace(/[\s-]+$/, ''), year: Number(bracket[2]) };
  const cleaned = cleanName(raw);
  // A bare year counts only when release junk follows it or it ends the name: "Blade Runner 2049" keeps 2049.
  const release =
    /^(.+?)\s+((?:18|19|20)\d\d)(?:\s+(?:\d{3,4}p|bluray|blu-ray|brrip|bdrip|web-?dl|webrip|hdtv|dvdrip|x264|x265|h264|hevc|remux|proper|repack|uhd|4k)\b.*)$/i.exec(
      cleaned,
    );
  if (release) return { name: release[1]!.trim(), year: Number(release[2]) };
  return { name: cleaned };
}

const ARTICLES = /^(the|a|an)\s+/i;

/** Sort key: articles dropped, case folded, numbers padded so "Episode 10" sorts after "Episode 9". */
export function sortNameOf(name: string): string {
  const base = name.trim().replace(ARTICLES, '') || name.trim();
  return base.toLowerCase().replace(/\d+/g, (d) => d.padStart(6, '0'));
}

export function splitList(value: string | undefined, separators = /\s*[;|/]\s*/): string[] {
  if (!value) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of value.split(separators)) {
    const v = part.trim();
    if (v && !seen.has(v.toLowerCase())) {
      seen.add(v.toLowerCase());
      out.push(v);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Video: episodes, movies, other videos

export interface SeriesRef {
  name: string;
  year?: number;
  /** The series folder, or a virtual one (`<folder>/<name>`) for loose episode files: the series' identity. */
  key: string;
}

export type VideoLayout =
  | { type: 'Movie'; name: string; year?: number }
  | { type: 'Video'; name: string; year?: number }
  | {
      type: 'Episode';
      name: string;
      series: SeriesRef;
      seasonNumber?: number;
      /** The "Season 01" folder when there is one (for its poster). */
      seasonFolder?: string;
      indexNumber?: number;
      indexNumberEnd?: number;
    };

const SEASON_FOLDER = /^(?:season|series|saison|staffel|temporada|stagione)[\s._-]*(\d{1,4})$|^s(\d{1,4})$/i;
const SPECIALS_FOLDER = /^specials?$/i;
const GENERIC_FOLDERS = new Set(['tv', 'tv shows', 'tvshows', 'shows', 'series', 'television', 'videos', 'media', 'downloads']);
const MOVIE_FOLDERS = new Set(['movies', 'movie', 'films', 'film']);

/** Season number of a folder name, 0 for "Specials", undefined when it is not a season folder. */
export function seasonNumberOfFolder(name: string): number | undefined {
  if (SPECIALS_FOLDER.test(name)) return 0;
  const m = SEASON_FOLDER.exec(name.trim());
  if (!m) return undefined;
  return Number(m[1] ?? m[2]);
}

interface EpisodeMatch {
  season?: number;
  episode: number;
  episodeEnd?: number;
  /** Text before the pattern ("Show - ") and after it (" - Title"). */
  before: string;
  after: string;
}

const SXXEYY = /(?:^|[\s._\-[(])s(\d{1,4})[\s._-]*e(\d{1,4})(?:[\s._-]*(?:-\s*)?e(\d{1,4}))?(?=$|[^a-z0-9])/i;
// Season 1–2 digits: "1920x1080" must not read as season 20 episode 1080.
const NXNN = /(?:^|[\s._\-[(])(\d{1,2})x(\d{1,3})(?:[\s._-]*(?:x|-)(\d{1,3}))?(?=$|[\s._\-\])])/i;
const EPISODE_ONLY = /^(?:e|ep|episode)[\s._-]*(\d{1,4})(?=$|[^0-9])|^(\d{1,4})(?=$|[\s._-])/i;

export function matchEpisode(base: string): EpisodeMatch | undefined {
  for (const re of [SXXEYY, NXNN]) {
    const m = re.exec(base);
    if (m) {
      const end = m[3] !== undefined ? Number(m[3]) : undefined;
      const episode = Number(m[2]);
      return {
        season: Number(m[1]),
        episode,
        episodeEnd: end !== undefined && end > episode ? end : undefined,
        before: base.slice(0, m.index),
        after: base.slice(m.index + m[0].length),
      };
    }
  }
  return undefined;
}

function titleFrom(text: string): string | undefined {
  const t = cleanName(text).replace(/^[\s\-–—:.]+|[\s\-–—:.]+$/g, '');
  return t || undefined;
}

/** Folders between the root and the file, outermost first. */
function foldersBelow(root: string, file: string): string[] {
  const out: string[] = [];
  let dir = path.dirname(file);
  while (isUnder(root, dir)) {
    out.unshift(dir);
    dir = path.dirname(dir);
  }
  return out;
}

export function parseVideoPath(root: string, file: string, tags: MediaTags = {}): VideoLayout {
  const base = path.parse(file).name;
  const parent = path.dirname(file);
  const parentName = path.basename(parent);
  const parentIsRoot = !isUnder(root, parent);
  const seasonFromFolder = parentIsRoot ? undefined : seasonNumberOfFolder(parentName);
  const ep = matchEpisode(base);

  if (ep || seasonFromFolder !== undefined) {
    const inSeasonFolder = seasonFromFolder !== undefined;
    let episode = ep;
    if (!episode && inSeasonFolder) {
      // In a season folder a bare number is enough: "Season 2/03 - Title.mkv", "Season 2/E03.mkv".
      const m = EPISODE_ONLY.exec(base);
      episode = m ? { episode: Number(m[1] ?? m[2]), before: '', after: base.slice(m[0].length) } : undefined;
    }
    const seriesFolder = inSeasonFolder ? path.dirname(parent) : parent;
    const prefix = episode ? titleFrom(episode.before) : undefined;
    let series: SeriesRef | undefined;
    const seriesFolderUsable = isUnder(root, seriesFolder) && !GENERIC_FOLDERS.has(path.basename(seriesFolder).toLowerCase());
    if (seriesFolderUsable) {
      const { name, year } = splitNameAndYear(path.basename(seriesFolder));
      series = { name, year, key: seriesFolder };
    } else if (prefix) {
      const { name, year } = splitNameAndYear(prefix);
      series = { name, year, key: path.join(seriesFolder, name) };
    }
    if (series) {
      const indexNumber = episode?.episode;
      const title = episode ? titleFrom(episode.after) : titleFrom(base);
      return {
        type: 'Episode',
        name: title ?? tags.title ?? (indexNumber !== undefined ? `Episode ${indexNumber}` : cleanName(base)),
        series,
        seasonNumber: episode?.season ?? seasonFromFolder ?? (indexNumber !== undefined ? 1 : undefined),
        seasonFolder: inSeasonFolder ? parent : undefined,
        indexNumber,
        indexNumberEnd: episode?.episodeEnd,
      };
    }
  }

  const own = splitNameAndYear(base);
  const folders = foldersBelow(root, file);
  const folderMeta = parentIsRoot ? undefined : splitNameAndYear(parentName);
  if (folderMeta?.year !== undefined) {
    // "Movie Name (2010)/anything.mkv": the folder names the movie.
    return { type: 'Movie', name: folderMeta.name, year: folderMeta.year };
  }
  const inMoviesFolder = folders.some((f) => MOVIE_FOLDERS.has(path.basename(f).toLowerCase()));
  if (own.year !== undefined || inMoviesFolder) {
    return { type: 'Movie', name: own.name, year: own.year ?? tags.year };
  }
  return { type: 'Video', name: own.name, year: tags.year };
}

export interface PersonRef {
  name: string;
  type: 'Actor' | 'Director' | 'Composer' | 'Writer';
}

export interface VideoMetadata {
  genres: string[];
  studios: string[];
  people: PersonRef[];
  overview?: string;
}

/** Genres, studios and people from container tags (MKV writes any tag; MP4 with use_metadata_tags). */
export function videoMetadataFromTags(tags: MediaTags): VideoMetadata {
  const people: PersonRef[] = [];
  const add = (v: string | undefined, type: PersonRef['type']) => {
    for (const name of splitList(v, /\s*[;|,]\s*/)) people.push({ name, type });
  };
  add(tags.director, 'Director');
  add(tags.actor, 'Actor');
  add(tags.composer, 'Composer');
  return {
    genres: splitList(tags.genre, /\s*[;|/,]\s*/),
    studios: splitList(tags.studio, /\s*[;|]\s*/),
    people,
    overview: tags.comment,
  };
}

// ---------------------------------------------------------------------------------------------
// Music

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

// ---------------------------------------------------------------------------------------------
// Photos

export interface PhotoLayout {
  type: 'Photo';
  name: string;
}

export function parsePhotoPath(file: string): PhotoLayout {
  return { type: 'Photo', name: path.parse(file).name };
}

// ---------------------------------------------------------------------------------------------
// Sidecar subtitles

export interface SidecarSubtitle {
  /** Bare file name: what the wire shows as the stream's Path. */
  fileName: string;
  /** Absolute path: server-side only (stored in the item's extra data, never sent). */
  path: string;
  codec: string;
  language?: string;
  title?: string;
  isForced: boolean;
  isDefault: boolean;
  isHearingImpaired: boolean;
}

// ISO 639-1 → 639-2/B, the form ffprobe reports for MKV tracks, so embedded and sidecar languages compare.
const LANG_2_TO_3: Record<string, string> = {
  en: 'eng',
  fr: 'fre',
  de: 'ger',
  es: 'spa',
  it: 'ita',
  pt: 'por',
  nl: 'dut',
  sv: 'swe',
  no: 'nor',
  nb: 'nob',
  da: 'dan',
  fi: 'fin',
  pl: 'pol',
  ru: 'rus',
  ja: 'jpn',
  zh: 'chi',
  ko: 'kor',
  ar: 'ara',
  he: 'heb',
  tr: 'tur',
  cs: 'cze',
  hu: 'hun',
  el: 'gre',
  ro: 'rum',
  uk: 'ukr',
  hi: 'hin',
  th: 'tha',
  vi: 'vie',
  id: 'ind',
  is: 'ice',
  hr: 'hrv',
  sr: 'srp',
  sk: 'slo',
  sl: 'slv',
  bg: 'bul',
  et: 'est',
  lv: 'lav',
  lt: 'lit',
  fa: 'per',
  ca: 'cat',
};
const LANG_NAMES: Record<string, string> = {
  english: 'eng',
  french: 'fre',
  german: 'ger',
  spanish: 'spa',
  italian: 'ita',
  portuguese: 'por',
  dutch: 'dut',
  swedish: 'swe',
  norwegian: 'nor',
  danish: 'dan',
  finnish: 'fin',
  polish: 'pol',
  russian: 'rus',
  japanese: 'jpn',
  chinese: 'chi',
  korean: 'kor',
  arabic: 'ara',
  hebrew: 'heb',
  turkish: 'tur',
  czech: 'cze',
  hungarian: 'hun',
  greek: 'gre',
};
const KNOWN_3 = new Set([...Object.values(LANG_2_TO_3), 'fra', 'deu', 'nld', 'zho', 'ces', 'ell', 'ron', 'isl', 'slk', 'fas', 'und']);

/** A language token from a file name, as a 639-2 code; undefined when the token is not a language. */
export function languageFromToken(token: string): string | undefined {
  const t = token.toLowerCase();
  if (LANG_2_TO_3[t]) return LANG_2_TO_3[t];
  if (LANG_NAMES[t]) return LANG_NAMES[t];
  if (KNOWN_3.has(t)) return t === 'und' ? undefined : t;
  // Region forms: "pt-BR", "en_US".
  const region = /^([a-z]{2})[-_][a-z]{2}$/.exec(t);
  if (region && LANG_2_TO_3[region[1]!]) return LANG_2_TO_3[region[1]!];
  return undefined;
}

/**
 * Subtitles beside a video: `Name.srt`, `Name.en.srt`, `Name.eng.forced.srt`, `Name.English.SDH.vtt`.
 * When two videos share a prefix ("Movie" and "Movie.Extended"), a subtitle goes to the longest name it
 * extends. `siblings` are the file names in the video's folder.
 */
export function findSidecarSubtitles(videoFile: string, siblings: readonly string[]): SidecarSubtitle[] {
  const dir = path.dirname(videoFile);
  const base = path.parse(videoFile).name.toLowerCase();
  const videoBases = siblings.filter((n) => fileKind(n) === 'video').map((n) => path.parse(n).name.toLowerCase());
  const out: SidecarSubtitle[] = [];
  for (const name of [...siblings].sort()) {
    if (isHiddenName(name)) continue;
    const ext = extensionOf(name);
    const codec = SUBTITLE_CODEC_BY_EXT[ext];
    if (!codec) continue;
    const stem = name.slice(0, name.length - ext.length - 1);
    const lower = stem.toLowerCase();
    if (lower !== base && !lower.startsWith(base + '.')) continue;
    const better = videoBases.some((b) => b.length > base.length && (lower === b || lower.startsWith(b + '.')));
    if (better) continue;
    const tokens = stem.slice(base.length).split('.').filter(Boolean);
    const sub: SidecarSubtitle = {
      fileName: name,
      path: path.join(dir, name),
      codec,
      isForced: false,
      isDefault: false,
      isHearingImpaired: false,
    };
    const titleParts: string[] = [];
    for (const token of tokens) {
      const t = token.toLowerCase();
      if (t === 'forced' || t === 'foreign') sub.isForced = true;
      else if (t === 'default') sub.isDefault = true;
      else if (t === 'sdh' || t === 'cc' || t === 'hi') sub.isHearingImpaired = true;
      else if (!sub.language && languageFromToken(token)) sub.language = languageFromToken(token);
      else titleParts.push(token);
    }
    if (sub.isHearingImpaired) titleParts.push('SDH');
    if (titleParts.length) sub.title = titleParts.join(' ');
    out.push(sub);
  }
  return out;
}
