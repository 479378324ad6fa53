/**
 * A record on disk of every ffmpeg the server starts, so a server killed with SIGKILL (or a power cut of
 * the Node process alone) can stop its orphans on the next start: measured, an orphaned transcode kept
 * ~85 % of a core beside the restarted conversion of the same item.
 *
 * One file per child, `<dir>/<pid>.json`, with the process's start time from /proc: a pid the kernel has
 * since given to another program has another start time and is left alone, and so is a process whose
 * executable is no longer the recorded one. Where /proc is missing (not Linux) nothing is recorded.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';

interface ChildRecord {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks after boot; with the pid it names one process for ever. */
  startTime: string;
  binary: string;
}

let recordsDir: string | undefined;

/** Turn recording on for this process (the server calls it at start; a remote worker may not). */
export function useChildRecords(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  recordsDir = dir;
}

/** The start time of a live process, or undefined when there is none (or no /proc). */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

function recordPath(dir: string, pid: number): string {
  return path.join(dir, `${pid}.json`);
}

/** Records a child until it exits. A one-line call for every place that spawns ffmpeg. */
export function trackChild<C extends ChildProcess>(child: C, binary: string): C {
  const dir = recordsDir;
  const pid = child.pid;
  if (!dir || !pid) return child;
  const startTime = processStartTime(pid);
  if (startTime === undefined) return child;
  const file = recordPath(dir, pid);
  try {
    fs.writeFileSync(file, JSON.stringify({ pid, startTime, binary } satisfies ChildRecord));
  } catch {
    return child;
  }
  child.once('exit', () => fs.rmSync(file, { force: true }));
  return child;
}

function isOurs(r: ChildRecord): boolean {
  if (processStartTime(r.pid) !== r.startTime) return false;
  try {
    const argv0 = fs.readFileSync(`/proc/${r.pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return argv0 === r.binary || path.basename(argv0) === path.basename(r.binary);
  } catch {
    return false;
  }
}

/**
 * At start, before any new conversion: SIGKILL every recorded child that is still the process we started
 * (its output is a partial file, deleted anyway), and forget every record. Returns the pids stopped.
 */
export function stopLeftoverChildren(dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const stopped: number[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(dir, name);
    try {
      const r = JSON.parse(fs.readFileSync(file, 'utf8')) as ChildRecord;
      if (typeof r.pid === 'number' && r.pid > 1 && r.pid !== process.pid && isOurs(r)) {
        process.kill(r.pid, 'SIGKILL');
        stopped.push(r.pid);
      }
    } catch {
      // A torn record (the kill came mid-write) or a process that just exited: nothing to stop.
    }
    fs.rmSync(file, { force: true });
  }
  return stopped;
}
