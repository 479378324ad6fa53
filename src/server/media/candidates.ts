/**
 * Which ffmpeg/ffprobe binaries to consider, best first: the one the administrator named
 * (FFMPEG_PATH/FFPROBE_PATH), then the system's on PATH (a distribution build: current, with zimg,
 * and it reads MPEG-TS), then the npm packages (static builds: ffmpeg is a 2018 snapshot, and every
 * published ffprobe crashes on MPEG-TS on this machine kind). Pure over the lookups it is given.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ToolKind } from './binaries.js';

export type CandidateSource = 'configured' | 'PATH' | 'npm';

export interface Candidate {
  kind: ToolKind;
  path: string;
  source: CandidateSource;
}

export interface CandidateLookups {
  /** FFMPEG_PATH / FFPROBE_PATH (already read from config). */
  configured?: string;
  /** The PATH variable's value. */
  pathEnv?: string;
  /** The npm package's binary, when installed. */
  npm?: string;
  isExecutable?: (file: string) => boolean;
  realpath?: (file: string) => string;
}

export function listCandidates(kind: ToolKind, lookups: CandidateLookups): Candidate[] {
  const isExecutable = lookups.isExecutable ?? executableFile;
  const realpath = lookups.realpath ?? safeRealpath;
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const add = (file: string, source: CandidateSource) => {
    const real = realpath(file);
    if (seen.has(real)) return;
    seen.add(real);
    out.push({ kind, path: file, source });
  };
  // A configured path is kept even when it does not exist: the self-test then says why it was skipped.
  if (lookups.configured) add(lookups.configured, 'configured');
  for (const dir of (lookups.pathEnv ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const file = path.join(dir, process.platform === 'win32' ? `${kind}.exe` : kind);
    if (isExecutable(file)) add(file, 'PATH');
  }
  if (lookups.npm) add(lookups.npm, 'npm');
  return out;
}

function executableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function safeRealpath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
