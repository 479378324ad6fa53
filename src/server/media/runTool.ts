/**
 * Runs a media tool to completion and reports how it ended — exit code, or the signal that killed it —
 * instead of throwing: the self-test and the prober must tell "crashed" (SIGSEGV: try another binary) from
 * "refused this input" (exit 1: the file is bad).
 */
import { execFile } from 'node:child_process';

export interface ToolRun {
  code: number | null;
  /** Set when the process died of a signal it did not get from us (a crash). */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** ENOENT, EACCES…: the binary could not be started at all. */
  spawnError?: string;
  stdout: string;
  stderr: string;
}

export interface RunToolOptions {
  timeoutMs?: number;
  maxBuffer?: number;
}

export function runTool(bin: string, args: readonly string[], opts: RunToolOptions = {}): Promise<ToolRun> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve) => {
    execFile(
      bin,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: opts.maxBuffer ?? 16 * 1024 * 1024, windowsHide: true },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; signal?: NodeJS.Signals | null; code?: unknown }) | null;
        const base = { stdout: String(stdout ?? ''), stderr: String(stderr ?? '') };
        if (!e) return resolve({ ...base, code: 0, signal: null, timedOut: false });
        if (typeof e.code === 'string') return resolve({ ...base, code: null, signal: null, timedOut: false, spawnError: e.code });
        const timedOut = e.killed === true;
        resolve({
          ...base,
          code: typeof e.code === 'number' ? e.code : null,
          signal: timedOut ? null : (e.signal ?? null),
          timedOut,
        });
      },
    );
  });
}

/** "crashed (SIGSEGV)", "timed out after 10000 ms", "exit code 1: <first stderr line>", "not found (ENOENT)". */
export function describeFailure(run: ToolRun, timeoutMs: number): string {
  if (run.spawnError) return `cannot be started (${run.spawnError})`;
  if (run.signal) return `crashed (${run.signal})`;
  if (run.timedOut) return `timed out after ${timeoutMs} ms`;
  const line =
    run.stderr
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? '';
  return `exit code ${run.code}${line ? `: ${line.slice(0, 200)}` : ''}`;
}
