/**
 * Error messages shown to users (a job item's `ErrorMessage`) name items and files relative to their library,
 * never server paths (issue 14 item 4: a message once carried the data directory's absolute path). ffmpeg,
 * the file system and the output store speak in absolute paths; the full text goes to the log, and this is
 * what the wire gets.
 */
import path from 'node:path';

export interface PathRoots {
  /** Media folders: a path under one is shown relative to it ("Movies/Film (2020).mkv"). */
  library: readonly string[];
  /** The data and work directories: a path under one is shown as its file name only. */
  hidden: readonly string[];
}

const MAX_LENGTH = 500;
/** Characters that end a path in running text (paths with spaces are caught by the roots instead). */
const PATH_CHARS = String.raw`[^\s'"\`,;()<>|]`;
/** An absolute path not preceded by a word character ("video/mp4" and "1/2" are not paths). */
const ABSOLUTE_PATH = new RegExp(String.raw`(?<![\w.~-])(?:[A-Za-z]:)?[\\/]${PATH_CHARS}+`, 'g');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const trimmed = (root: string) => root.replace(/[\\/]+$/, '');

export function userFacingError(message: string, roots: PathRoots = { library: [], hidden: [] }): string {
  let out = message.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  // Longest root first, so a library inside the data dir (camera uploads) wins over the data dir.
  const all = [
    ...roots.library.map((r) => ({ root: trimmed(r), library: true })),
    ...roots.hidden.map((r) => ({ root: trimmed(r), library: false })),
  ]
    .filter((r) => r.root)
    .sort((a, b) => b.root.length - a.root.length);
  for (const { root, library } of all) {
    out = library
      ? out.replace(new RegExp(`${escape(root)}[\\\\/]`, 'g'), '')
      : out.replace(new RegExp(`${escape(root)}((?:[\\\\/]${PATH_CHARS}*)*)`, 'g'), (_m, rest: string) => path.basename(rest));
  }
  out = out.replace(ABSOLUTE_PATH, (p) => path.basename(p.replace(/\\/g, '/')) || p);
  out = out.replace(/\s{2,}/g, ' ').trim();
  return out.length > MAX_LENGTH ? `${out.slice(0, MAX_LENGTH - 1)}…` : out;
}
