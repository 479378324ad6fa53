/**
 * Episodes: `Show/Season 01/Show - S01E02 - Title.mkv`, `1x02`, a bare number inside a season folder, and
 * loose `Show - S01E02` files whose series is named by their prefix.
 */
import path from 'node:path';
import { isUnder } from '../paths.js';
import type { MediaTags } from '../probe.js';
import { cleanName, splitNameAndYear } from './names.js';

export interface SeriesRef {
  name: string;
  year?: number;
  /** The series folder, or a virtual one (`<folder>/<name>`) for loose episode files: the series' identity. */
  key: string;
}

export interface EpisodeLayout {
  type: 'Episode';
  name: string;
  series: SeriesRef;
  seasonNumber?: number;
  /** The "Season 01" folder when there is one (for its poster). */
  seasonFolder?: string;
  indexNumber?: number;
  indexNumberEnd?: number;
}

const SEASON_FOLDER = /^(?:season|series|saison|staffel|temporada|stagione)[\s._-]*(\d{1,4})$|^s(\d{1,4})$/i;
const SPECIALS_FOLDER = /^specials?$/i;
const GENERIC_FOLDERS = new Set(['tv', 'tv shows', 'tvshows', 'shows', 'series', 'television', 'videos', 'media', 'downloads']);

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

/**
 * The episode a video file is, or undefined when its name and folder say it is not one (or no series can
 * be named for it): then it is a movie or a plain video.
 */
export function episodeLayout(root: string, file: string, tags: MediaTags): EpisodeLayout | undefined {
  const base = path.parse(file).name;
  const parent = path.dirname(file);
  const seasonFromFolder = isUnder(root, parent) ? seasonNumberOfFolder(path.basename(parent)) : undefined;
  const inSeasonFolder = seasonFromFolder !== undefined;
  let episode = matchEpisode(base);
  if (!episode && !inSeasonFolder) return undefined;
  if (!episode) {
    // In a season folder a bare number is enough: "Season 2/03 - Title.mkv", "Season 2/E03.mkv".
    const m = EPISODE_ONLY.exec(base);
    episode = m ? { episode: Number(m[1] ?? m[2]), before: '', after: base.slice(m[0].length) } : undefined;
  }
  const series = seriesOf(root, inSeasonFolder ? path.dirname(parent) : parent, episode ? titleFrom(episode.before) : undefined);
  if (!series) return undefined;
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

/** The series folder names the series unless it is generic ("TV Shows"); else the file name's prefix does. */
function seriesOf(root: string, seriesFolder: string, prefix: string | undefined): SeriesRef | undefined {
  if (isUnder(root, seriesFolder) && !GENERIC_FOLDERS.has(path.basename(seriesFolder).toLowerCase())) {
    const { name, year } = splitNameAndYear(path.basename(seriesFolder));
    return { name, year, key: seriesFolder };
  }
  if (prefix) {
    const { name, year } = splitNameAndYear(prefix);
    return { name, year, key: path.join(seriesFolder, name) };
  }
  return undefined;
}
