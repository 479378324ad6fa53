/**
 * Spawns ffmpeg (never through a shell: paths are arguments, not code) and stops it quickly on abort.
 * ffmpeg traps SIGTERM to finish the file it writes — for a faststart MP4 that can mean rewriting it — so
 * SIGKILL follows after a short grace: a cancelled output is deleted anyway.
 */
import os from 'node:os';
import { spawn } from 'node:child_process';
import { trackChild } from './childRecords.js';
import { StderrTail } from './stderrTail.js';

export const KILL_GRACE_MS = 400;

export class AbortedError extends Error {
  constructor(message = 'conversion cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** ffmpeg failed; the message carries the end of its stderr, where the reason always is. */
export class FfmpegError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly exitSignal: string | null,
    readonly stderrTail: string,
  ) {
    const how = exitSignal ? `was killed by ${exitSignal}` : `exited with code ${exitCode}`;
    super(`ffmpeg ${how}${stderrTail ? `:\n${stderrTail}` : ' (no output on stderr)'}`);
    this.name = 'FfmpegError';
  }
}

export interface RunProcessOptions {
  signal?: AbortSignal;
  /** OS scheduling priority (nice, 0–19): background conversions yield the CPU to playback and the UI. */
  niceness?: number;
  onStdout?: (chunk: string) => void;
  /** Every stderr chunk (the tail alone may miss an early "partial file" line in a long run). */
  onStderr?: (chunk: string) => void;
  stderrLines?: number;
}

/** Resolves with the end of stderr when the process exits with 0; rejects with FfmpegError or AbortedError. */
export function runProcess(binary: string, args: readonly string[], options: RunProcessOptions = {}): Promise<string> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new AbortedError());
  return new Promise((resolve, reject) => {
    const tail = new StderrTail(options.stderrLines ?? 20);
    const child = trackChild(spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true }), binary);
    if (options.niceness && child.pid) {
      try {
        os.setPriority(child.pid, options.niceness);
      } catch {
        // Not permitted on this platform: run at normal priority.
      }
    }
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c: string) => options.onStdout?.(c));
    child.stderr.on('data', (c: string) => {
      tail.push(c);
      options.onStderr?.(c);
    });
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (err) => {
      spawnError = err;
    });
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (signal?.aborted) reject(new AbortedError());
      else if (spawnError) reject(new Error(spawnFailure(binary, spawnError)));
      else if (code === 0) resolve(tail.text());
      else reject(new FfmpegError(code, sig, tail.text()));
    });
  });
}

/** Why ffmpeg could not even start, in the administrator's words (a missing binary is the usual case). */
function spawnFailure(binary: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return `ffmpeg not found at ${binary} (set FFMPEG_PATH)`;
  if (err.code === 'EACCES') return `ffmpeg at ${binary} is not executable`;
  return `could not start ${binary}: ${err.message}`;
}
