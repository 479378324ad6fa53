import { describe, expect, it } from 'vitest';
import { durationFromStderr, outTimeSeconds, ProgressTracker } from '../../../src/server/convert/ffmpegProgress.js';
import { StderrTail } from '../../../src/server/convert/stderrTail.js';
import { FfmpegError } from '../../../src/server/convert/ffmpegProcess.js';

const block = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');

describe('ffmpeg -progress parsing', () => {
  it('reads out_time_us, falls back to out_time_ms (microseconds in ffmpeg 4) and out_time', () => {
    expect(outTimeSeconds(new Map([['out_time_us', '1500000']]))).toBe(1.5);
    expect(outTimeSeconds(new Map([['out_time_ms', '2500000']]))).toBe(2.5);
    expect(outTimeSeconds(new Map([['out_time', '00:01:02.500000']]))).toBe(62.5);
    expect(outTimeSeconds(new Map([['out_time_us', 'N/A']]))).toBeUndefined();
  });

  it('turns blocks split across chunks into a rising percentage, 100 only at progress=end', () => {
    const seen: number[] = [];
    const t = new ProgressTracker(10, (p) => seen.push(p));
    const text =
      block({ frame: '1', out_time_us: '1000000', progress: 'continue' }) +
      block({ out_time_us: '5000000', progress: 'continue' }) +
      block({ out_time_us: '4000000', progress: 'continue' }) + // a dip (second output starting): ignored
      block({ out_time_us: '10000000', progress: 'continue' }) +
      block({ out_time_us: '10000000', progress: 'end' });
    for (let i = 0; i < text.length; i += 7) t.reader.push(text.slice(i, i + 7));
    expect(seen).toEqual([10, 50, 99.9, 100]);
  });

  it('without a duration reports nothing until the end', () => {
    const seen: number[] = [];
    const t = new ProgressTracker(undefined, (p) => seen.push(p));
    t.reader.push(block({ out_time_us: '1000000', progress: 'continue' }) + block({ progress: 'end' }));
    expect(seen).toEqual([100]);
  });

  it('finds the input duration in stderr', () => {
    expect(durationFromStderr('  Duration: 01:02:03.50, start: 0.000000, bitrate: 1 kb/s')).toBe(3723.5);
    expect(durationFromStderr('Duration: N/A')).toBeUndefined();
  });
});

describe('StderrTail', () => {
  it('keeps the last N lines, treating \\r stats rewrites as line ends', () => {
    const tail = new StderrTail(3);
    tail.push('a\nb\r');
    tail.push('c\r\nd\n');
    tail.push('e (unterminated)');
    expect(tail.text()).toBe('c\nd\ne (unterminated)');
  });

  it('bounds line length so a binary dump cannot blow up the error message', () => {
    const tail = new StderrTail(2, 10);
    tail.push(`${'x'.repeat(50)}\n`);
    expect(tail.text()).toBe(`${'x'.repeat(10)}…`);
  });

  it('puts the tail in the error message', () => {
    expect(new FfmpegError(1, null, 'x: Invalid data').message).toBe('ffmpeg exited with code 1:\nx: Invalid data');
    expect(new FfmpegError(null, 'SIGSEGV', '').message).toBe('ffmpeg was killed by SIGSEGV (no output on stderr)');
  });
});
