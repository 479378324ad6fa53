/**
 * Self-test verdicts kept across starts, keyed by the binary's real path, size and modification time: an
 * upgraded or replaced binary is tested again, an unchanged one costs a stat. One JSON file, written to a
 * temp name and renamed; concurrent writers can at worst lose an entry, which is then tested again.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ToolKind } from './binaries.js';
import type { Verdict } from './selfTest.js';
import { SAMPLES_VERSION } from './selfTestSamples.js';

const FILE = 'verdicts.json';

/** Undefined when the binary cannot be stat'ed (its verdict is then never cached). */
export function verdictKey(kind: ToolKind, bin: string): string | undefined {
  try {
    const real = fs.realpathSync(bin);
    const st = fs.statSync(real);
    return `${kind}|${real}|${st.size}|${Math.floor(st.mtimeMs)}|samples-v${SAMPLES_VERSION}`;
  } catch {
    return undefined;
  }
}

export function readVerdicts(cacheDir: string): Record<string, Verdict> {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(cacheDir, FILE), 'utf8')) as { verdicts?: Record<string, Verdict> };
    return parsed.verdicts ?? {};
  } catch {
    return {};
  }
}

export async function saveVerdict(cacheDir: string, key: string, verdict: Verdict): Promise<void> {
  await fs.promises.mkdir(cacheDir, { recursive: true });
  const verdicts = { ...readVerdicts(cacheDir), [key]: verdict };
  const file = path.join(cacheDir, FILE);
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.promises.writeFile(tmp, JSON.stringify({ verdicts }, null, 1));
  await fs.promises.rename(tmp, file);
}
