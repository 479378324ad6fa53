/**
 * What a server killed with SIGKILL leaves behind, cleared at the next start before any new work:
 * ffmpeg processes it started (childRecords.ts) that still run, and camera-upload `.part` files that no
 * resumable upload session owns. (Conversion partials are the output store's: its recovery deletes them.)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import { stopLeftoverChildren, useChildRecords } from './childRecords.js';

/** Where the pid records live, under the data dir. */
export function childRecordsDir(dataDir: string): string {
  return path.join(dataDir, 'run', 'children');
}

/**
 * Single-shot camera uploads write `<id>.part` before their row exists; resumable ones have a row in state
 * Uploading and resume from the bytes on disk. A `.part` whose id has no such row is nobody's.
 */
export function removeOrphanUploadParts(db: Db, incomingDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(incomingDir);
  } catch {
    return [];
  }
  const live = db.prepare("SELECT 1 FROM camera_uploads WHERE id = ? AND status = 'Uploading'");
  const removed: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.part')) continue;
    if (live.get(name.slice(0, -'.part'.length))) continue;
    fs.rmSync(path.join(incomingDir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

export interface StartupSweepOptions {
  dataDir: string;
  db: Db;
  /** The camera uploads' temporary folder (uploads/cameraUploadService.ts: `<root>/.incoming`). */
  uploadIncomingDir: string;
  log: Logger;
}

/** Stops our leftover ffmpeg processes, removes orphan upload parts, then records every new child. */
export function sweepAfterCrash(o: StartupSweepOptions): void {
  const dir = childRecordsDir(o.dataDir);
  const stopped = stopLeftoverChildren(dir);
  if (stopped.length > 0) o.log.warn({ pids: stopped }, 'stopped ffmpeg processes left running by the previous server');
  const removed = removeOrphanUploadParts(o.db, o.uploadIncomingDir);
  if (removed.length > 0) o.log.info({ files: removed }, 'removed unfinished camera uploads that no session owns');
  useChildRecords(dir);
}
