/**
 * Lists the media files under the library's roots: sorted, hidden entries (dot-files, macOS "._"
 * resource files) skipped, symlink loops broken; unreadable folders and missing roots reported, so their
 * items are kept rather than removed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileKind, isArtworkImage, isHiddenName, type FileKind } from './layout.js';

export interface Candidate {
  path: string;
  kind: FileKind;
  siblings: string[];
}

export interface WalkResult {
  candidates: Candidate[];
  issues: Array<{ path: string; reason: string }>;
  /** Folders that could not be read: their items are kept, not removed. */
  unreadable: string[];
}

export function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ?? e?.message ?? String(err);
}

/** Walks every root (sorted, hidden entries skipped, symlink loops broken) and lists media candidates. */
export async function walkRoots(roots: readonly string[]): Promise<WalkResult> {
  const result: WalkResult = { candidates: [], issues: [], unreadable: [] };
  const visited = new Set<string>();
  const walkDir = async (dir: string): Promise<void> => {
    let real: string;
    let entries: fs.Dirent[];
    try {
      real = await fs.promises.realpath(dir);
      if (visited.has(real)) return;
      visited.add(real);
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (err) {
      result.issues.push({ path: dir, reason: `cannot read folder: ${errorCode(err)}` });
      result.unreadable.push(dir);
      return;
    }
    entries = entries.filter((e) => !isHiddenName(e.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const names = entries.map((e) => e.name);
    const files: Array<{ name: string; kind: FileKind }> = [];
    const subdirs: string[] = [];
    for (const e of entries) {
      const full = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = await fs.promises.stat(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (err) {
          result.issues.push({ path: full, reason: `broken link: ${errorCode(err)}` });
          continue;
        }
      }
      if (isDir) subdirs.push(full);
      else if (isFile) {
        const kind = fileKind(e.name);
        if (kind && kind !== 'subtitle') files.push({ name: e.name, kind });
      }
    }
    const hasMedia = files.some((f) => f.kind === 'video' || f.kind === 'audio');
    for (const f of files) {
      if (f.kind === 'image' && isArtworkImage(f.name, hasMedia)) continue;
      result.candidates.push({ path: path.join(dir, f.name), kind: f.kind, siblings: names });
    }
    for (const sub of subdirs) await walkDir(sub);
  };
  for (const root of roots) {
    try {
      const st = await fs.promises.stat(root);
      if (!st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    } catch (err) {
      // A missing root is usually an unmounted disk: keep its items rather than empty the library.
      result.issues.push({ path: root, reason: `media folder unavailable: ${errorCode(err)}` });
      result.unreadable.push(root);
      continue;
    }
    await walkDir(root);
  }
  return result;
}

/** Runs `fn` over `items` with at most `limit` in flight; `fn` must not throw (it records issues). */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
