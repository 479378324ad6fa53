import { describe, expect, it } from 'vitest';
import { judgeProbeOutput } from '../../../src/server/media/selfTest.js';
import { SAMPLE_SPECS } from '../../../src/server/media/selfTestSamples.js';

describe('judgeProbeOutput', () => {
  const ts = SAMPLE_SPECS.find((s) => s.label === 'MPEG-TS')!;
  const good = {
    format: { format_name: 'mpegts', duration: '0.400000' },
    streams: [
      { codec_type: 'video', codec_name: 'mpeg2video' },
      { codec_type: 'audio', codec_name: 'mp2' },
    ],
  };

  it('accepts a correct reading', () => {
    expect(judgeProbeOutput(JSON.stringify(good), ts)).toBeUndefined();
  });

  it('names what a prober misread', () => {
    expect(judgeProbeOutput('not json', ts)).toMatch(/no JSON/);
    expect(judgeProbeOutput(JSON.stringify({ ...good, format: { format_name: 'mp3', duration: '0.4' } }), ts)).toMatch(/as "mp3"/);
    expect(judgeProbeOutput(JSON.stringify({ ...good, streams: good.streams.slice(0, 1) }), ts)).toMatch(/streams as video:mpeg2video$/);
    expect(judgeProbeOutput(JSON.stringify({ ...good, format: { format_name: 'mpegts', duration: '3.0' } }), ts)).toMatch(/duration/);
  });
});
