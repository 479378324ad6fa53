/**
 * Whether a conversion read its whole source. A file cut off mid-copy (a truncated download, a full disk)
 * often still opens — its MP4 index describes ten seconds, its data holds five — and ffmpeg then exits 0
 * with a five-second output and a "partial file" line on stderr. Synced as if whole, the viewer finds out
 * at minute five on a plane; so such an item fails with a reason the administrator can act on.
 */
import { clock } from '../../shared/clock.js';

/** More than this shorter than the source and the output is a fragment, not rounding or a trimmed edge. */
export const MAX_SHORTFALL_SECONDS = 1;

/** stderr lines that say the input ended before its own index or headers said it would. */
const TRUNCATION_PATTERNS = [/partial file/i, /truncat/i, /unexpected end of file/i, /End of file while/i];
/** stderr lines that say data could not be decoded (alone they may be a glitch; with a short output they explain it). */
const DECODE_ERROR_PATTERNS = [/error while decoding/i, /Invalid NAL unit/i, /corrupt/i, /Invalid data found/i];

/** Counts the tell-tale stderr lines of one ffmpeg run, fed as chunks arrive. */
export class TruncationWatch {
  truncation?: string;
  decodeError?: string;
  private rest = '';

  push(chunk: string): void {
    const lines = (this.rest + chunk).split(/\r\n|\n|\r/);
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  finish(): void {
    if (this.rest) this.line(this.rest);
    this.rest = '';
  }

  private line(line: string): void {
    const text = line.replace(/^\[[^\]]*@\s*0x[0-9a-f]+\]\s*/i, '').trim();
    if (!this.truncation && TRUNCATION_PATTERNS.some((p) => p.test(text))) this.truncation = text.slice(0, 200);
    if (!this.decodeError && DECODE_ERROR_PATTERNS.some((p) => p.test(text))) this.decodeError = text.slice(0, 200);
  }
}

/**
 * Why the output can't be the whole source, or undefined when it can: ffmpeg read past the end of the data
 * ("partial file"), or the output is more than a second shorter than the source says it is.
 */
export function incompleteReason(
  sourceSeconds: number | undefined,
  outputSeconds: number | undefined,
  watch: Pick<TruncationWatch, 'truncation' | 'decodeError'>,
): string | undefined {
  const short = sourceSeconds !== undefined && outputSeconds !== undefined && sourceSeconds - outputSeconds > MAX_SHORTFALL_SECONDS;
  const detail = watch.truncation ?? (short ? watch.decodeError : undefined);
  if (short) {
    return `the file ends at ${clock(outputSeconds!)} of ${clock(sourceSeconds!)} — it is incomplete${detail ? ` (ffmpeg: ${detail})` : ''}`;
  }
  if (watch.truncation) return `the file is incomplete: its data ends before its index says (ffmpeg: ${watch.truncation})`;
  return undefined;
}

/** ffmpeg's refusal of a broken or non-media source, in words an administrator can act on. */
export function unreadableSourceReason(stderr: string): string | undefined {
  if (/moov atom not found/i.test(stderr)) return 'the file has no index (moov atom not found): it was cut off before it was finished';
  if (/Invalid data found when processing input/i.test(stderr)) return 'the file is not media ffmpeg can read (Invalid data found)';
  return undefined;
}
