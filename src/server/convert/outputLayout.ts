/**
 * Where an output's files live: `<workDir>/<key>/<bare name>`. Pure path rules shared by the output store
 * (server, owns the database) and the runner (server or a remote BullMQ worker, no database).
 */
import crypto from 'node:crypto';
import path from 'node:path';

/** Every temporary file carries this mark, so start-up cleanup can delete what a crash left behind. */
export const PARTIAL_MARK = '.partial';

const KEY_PATTERN = /^[0-9a-f]{32,64}$/;

export function isOutputKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** Names on the wire and inside an output directory are bare: no separators, no `..`, no control chars. */
export function isBareName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 255 &&
    name !== '.' &&
    name !== '..' &&
    !/[/\\\u0000-\u001f]/.test(name) &&
    path.basename(name) === name
  );
}

export function isPartialName(name: string): boolean {
  return name.includes(PARTIAL_MARK);
}

/**
 * `Movie (2020).mkv` + mp4 → `Movie (2020).mp4`. Characters that Windows, FAT32 (SD cards) or a
 * Content-Disposition header choke on become `_`; the result is a bare name.
 */
export function outputFileName(sourcePath: string, container: string): string {
  const base = path.basename(sourcePath, path.extname(sourcePath));
  let safe = base
    .replace(/[/\\:*?"<>|\u0000-\u001f\u007f]/g, '_')
    .trim()
    .replace(/^\.+/, '');
  if (safe.includes(PARTIAL_MARK)) safe = safe.split(PARTIAL_MARK).join('_partial');
  if (safe.length > 120) safe = safe.slice(0, 120).trim();
  return `${safe || 'media'}.${container.toLowerCase()}`;
}

/**
 * A unique temporary name next to the final one: `x.partial-1a2b3c4d.mp4`. Unique per attempt because two
 * BullMQ workers may briefly run the same output (a stalled job retried while the first still writes);
 * the extension stays last so ffmpeg still picks the muxer from it.
 */
export function partialName(finalName: string): string {
  const ext = path.extname(finalName);
  const base = finalName.slice(0, finalName.length - ext.length);
  return `${base}${PARTIAL_MARK}-${crypto.randomBytes(4).toString('hex')}${ext}`;
}

export class OutputLayout {
  constructor(readonly workDir: string) {}

  dir(key: string): string {
    if (!isOutputKey(key)) throw new Error(`not an output key: ${key}`);
    return path.join(this.workDir, key);
  }

  file(key: string, name: string): string {
    if (!isBareName(name)) throw new Error(`not a bare file name: ${JSON.stringify(name)}`);
    return path.join(this.dir(key), name);
  }
}
