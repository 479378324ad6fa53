/**
 * `npm run bench`: every benchmark module in turn, one table, and the JSON for comparing runs
 * (bench/results/latest.json plus a timestamped copy; the folder is git-ignored). Performance is measured
 * here, never asserted in tests: a module that fails prints its error and the run goes on.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runConversionBench } from './conversion.js';
import { runDownloadBench } from './download.js';
import { runExpansionBench } from './expansion.js';
import { runItemQueriesBench } from './itemQueries.js';
import { runManyFilesBench } from './manyFiles.js';
import { binaries } from './media.js';
import { formatTable, machineInfo, writeResults, type BenchNote, type BenchResult } from './report.js';
import { runWorkersBench, SkipBench } from './workers.js';
import { runPlaybackBench } from './playback.js';
import { runSwDownloadBench } from './swDownload.js';

const here = path.dirname(fileURLToPath(import.meta.url));

const MODULES: Array<[string, () => Promise<BenchResult[]>]> = [
  ['expansion', runExpansionBench],
  ['items', runItemQueriesBench],
  ['conversion', runConversionBench],
  ['many', runManyFilesBench],
  ['workers', runWorkersBench],
  ['download', runDownloadBench],
  ['playback', runPlaybackBench],
  // The service worker's chunked download in real Chromium against a plain fetch (needs `npm run build`).
  ['sw', runSwDownloadBench],
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const started = Date.now();
  const machine = machineInfo(binaries().ffmpeg);
  console.log(`Stowaway benchmarks on ${machine.cpuCount}× ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, Node ${machine.node}`);
  console.log(`${machine.ffmpeg}\n`);
  const results: BenchResult[] = [];
  const notes: BenchNote[] = [];
  for (const [name, run] of MODULES) {
    if (only.length && !only.includes(name)) continue;
    const t = Date.now();
    process.stdout.write(`${name} … `);
    try {
      const r = await run();
      results.push(...r);
      console.log(`${r.length} result(s) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    } catch (err) {
      const message = err instanceof SkipBench ? err.message : `FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
      notes.push({ module: name, message });
      console.log(err instanceof SkipBench ? `skipped (${message})` : message);
    }
  }
  console.log(`\n${formatTable(results)}\n`);
  for (const r of results) if (r.note) console.log(`- ${r.name}: ${r.note}`);
  for (const n of notes) console.log(`! ${n.module}: ${n.message.split('\n')[0]}`);
  const record = { date: new Date().toISOString(), durationMs: Date.now() - started, machine, results, notes };
  const files = writeResults(path.join(here, 'results'), record);
  console.log(
    `\n${(record.durationMs / 1000).toFixed(0)} s; written ${path.relative(process.cwd(), files.latest)} and ${path.relative(process.cwd(), files.stamped)}`,
  );
}

main()
  .then(() => process.exit(0)) // BullMQ/ioredis handles can outlive their close by a tick
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
