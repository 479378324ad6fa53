import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../../src/server/media/candidates.js';
import type { Verdict } from '../../../src/server/media/selfTest.js';
import { pickTool } from '../../../src/server/media/toolchain.js';

const cand = (path: string, source: Candidate['source'] = 'PATH'): Candidate => ({ kind: 'ffprobe', path, source });
const passed: Verdict = { kind: 'ffprobe', ok: true, tested: true, version: '5.1' };
const crashed: Verdict = { kind: 'ffprobe', ok: false, tested: true, version: '6.0', reason: 'crashed (SIGSEGV) on the MPEG-TS sample' };
const missing: Verdict = { kind: 'ffprobe', ok: false, tested: true, reason: 'cannot be started (ENOENT)' };

describe('pickTool', () => {
  it('takes the first candidate that passes and reports the ones skipped before it', async () => {
    const verdicts: Record<string, Verdict> = { '/a': crashed, '/b': passed, '/c': passed };
    const tested: string[] = [];
    const pick = await pickTool([cand('/a', 'configured'), cand('/b'), cand('/c', 'npm')], async (c) => {
      tested.push(c.path);
      return verdicts[c.path]!;
    });
    expect(pick?.chosen.path).toBe('/b');
    expect(pick?.tried.map((t) => [t.candidate.path, t.verdict.reason])).toEqual([['/a', crashed.reason]]);
    // Testing stops at the first pass: start-up pays for one self-test, not all.
    expect(tested).toEqual(['/a', '/b']);
  });

  it('falls back to a binary that runs when none passes, rather than to one that cannot start', async () => {
    const verdicts: Record<string, Verdict> = { '/gone': missing, '/flawed': crashed };
    const pick = await pickTool([cand('/gone'), cand('/flawed')], async (c) => verdicts[c.path]!);
    expect(pick?.chosen.path).toBe('/flawed');
    expect(pick?.verdict.ok).toBe(false);
    expect(pick?.tried.map((t) => t.candidate.path)).toEqual(['/gone']);
  });

  it('prefers an untested binary (no samples to test with) to a failed one', async () => {
    const untested: Verdict = { kind: 'ffprobe', ok: false, tested: false, version: '5.1', reason: 'no samples' };
    const verdicts: Record<string, Verdict> = { '/flawed': crashed, '/untested': untested };
    const pick = await pickTool([cand('/flawed'), cand('/untested')], async (c) => verdicts[c.path]!);
    expect(pick?.chosen.path).toBe('/untested');
  });

  it('keeps the first candidate when none even starts, so the server starts and each use says why', async () => {
    const pick = await pickTool([cand('/gone'), cand('/also-gone')], async () => missing);
    expect(pick?.chosen.path).toBe('/gone');
    expect(pick?.verdict.reason).toBe('cannot be started (ENOENT)');
    expect(await pickTool([], async () => passed)).toBeUndefined();
  });
});
