/**
 * What every benchmark returns, and how a run is printed and saved. Ratios are always against a baseline
 * measured in the same run on the same machine, so two runs on different hardware stay comparable.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BenchResult {
  /** `area: what was measured`, e.g. `conversion: remux, server ÷ bare ffmpeg`. */
  name: string;
  value: number;
  unit: string;
  /** The same work done the plainest way possible, in `unit`. */
  baseline?: number;
  /** value ÷ baseline unless the module says otherwise (see `ratioOf`). */
  ratio?: number;
  /** The goal, as text: `≤ 1.10`, `< 200 ms`, `0`. */
  target?: string;
  /** Whether the value met the target (undefined when there is none). */
  met?: boolean;
  note?: string;
}

/** A module failed or had nothing to measure here (no redis-server…): shown in the table, not fatal. */
export interface BenchNote {
  module: string;
  message: string;
}

export interface MachineInfo {
  os: string;
  cpuModel: string;
  cpuCount: number;
  totalMemoryGiB: number;
  node: string;
  ffmpeg: string;
}

export function ratioOf(value: number, baseline: number): number {
  return baseline > 0 ? Math.round((value / baseline) * 1000) / 1000 : NaN;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function machineInfo(ffmpegPath: string): MachineInfo {
  let ffmpeg = 'unknown';
  try {
    ffmpeg = execFileSync(ffmpegPath, ['-version'], { encoding: 'utf8' }).split('\n')[0].trim();
  } catch (err) {
    ffmpeg = `unavailable (${(err as Error).message})`;
  }
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    ffmpeg,
  };
}

function fmt(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '';
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
}

/** A Markdown table (pastes into the README as is). */
export function formatTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    fmt(r.value),
    r.unit,
    fmt(r.baseline),
    fmt(r.ratio),
    r.target ? `${r.target}${r.met === undefined ? '' : r.met ? ' ✓' : ' ✗'}` : '',
  ]);
  const header = ['name', 'value', 'unit', 'baseline', 'ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export interface RunRecord {
  date: string;
  durationMs: number;
  machine: MachineInfo;
  results: BenchResult[];
  notes: BenchNote[];
}

/** `latest.json` for "compare with the last run", plus a timestamped copy that is never overwritten. */
export function writeResults(dir: string, record: RunRecord): { latest: string; stamped: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(record, null, 2)}\n`;
  const latest = path.join(dir, 'latest.json');
  const stamped = path.join(dir, `${record.date.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(latest, json);
  fs.writeFileSync(stamped, json);
  return { latest, stamped };
}
