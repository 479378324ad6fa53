/**
 * Videos: an episode when its name or folder says so (episodes.ts), else a movie when a year or a movies
 * folder names it, else a plain video; and the genres, studios and people their container tags carry.
 */
import path from 'node:path';
import { isUnder } from '../paths.js';
import type { MediaTags } from '../probe.js';
import { episodeLayout, type EpisodeLayout } from './episodes.js';
import { splitList, splitNameAndYear } from './names.js';

export type VideoLayout = { type: 'Movie'; name: string; year?: number } | { type: 'Video'; name: string; year?: number } | EpisodeLayout;

const MOVIE_FOLDERS = new Set(['movies', 'movie', 'films', 'film']);

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
  const episode = episodeLayout(root, file, tags);
  if (episode) return episode;
  const parent = path.dirname(file);
  const own = splitNameAndYear(path.parse(file).name);
  const folderMeta = isUnder(root, parent) ? splitNameAndYear(path.basename(parent)) : undefined;
  if (folderMeta?.year !== undefined) {
    // "Movie Name (2010)/anything.mkv": the folder names the movie.
    return { type: 'Movie', name: folderMeta.name, year: folderMeta.year };
  }
  const inMoviesFolder = foldersBelow(root, file).some((f) => MOVIE_FOLDERS.has(path.basename(f).toLowerCase()));
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
