import { describe, expect, it } from 'vitest';
import { buildFfmpegArgs, buildSubtitleExtractArgs } from '../../src/server/convert/ffmpegArgs.js';
import type { AudioRemuxPlan, AudioTranscodePlan, DirectPlan, RemuxPlan, TranscodePlan } from '../../src/shared/profile/decision.js';

const io = { inputPath: '/media/Movie.mkv', outputPath: '/work/k/Movie.partial-1.mp4', threads: 1, fullSpeed: false };
const head = ['-hide_banner', '-nostdin', '-y', '-v', 'error', '-progress', 'pipe:1', '-nostats', '-i', '/media/Movie.mkv'];

describe('buildFfmpegArgs', () => {
  it('refuses a direct plan: the source file is served as is', () => {
    const plan: DirectPlan = { kind: 'direct', mediaType: 'Video', subtitles: [], reasons: [] };
    expect(() => buildFfmpegArgs(plan, io)).toThrow(/direct plan/);
  });

  it('remux: copies video and audio into a fast-start MP4', () => {
    const plan: RemuxPlan = {
      kind: 'remux',
      container: 'mp4',
      video: { copy: true, streamIndex: 0, codec: 'h264' },
      audio: [{ streamIndex: 1, action: 'copy', codec: 'aac' }],
      subtitles: [],
      reasons: [],
    };
    expect(buildFfmpegArgs(plan, io)).toEqual([
      ...head,
      '-map',
      '0:0',
      '-map',
      '0:1',
      '-c:v',
      'copy',
      '-c:a:0',
      'copy',
      '-disposition:a:0',
      'default',
      '-threads',
      '1',
      '-max_muxing_queue_size',
      '1024',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      '/work/k/Movie.partial-1.mp4',
    ]);
  });

  it('full speed lifts the CPU-core cap (no -threads), everything else unchanged', () => {
    const plan: RemuxPlan = {
      kind: 'remux',
      container: 'mp4',
      video: { copy: true, streamIndex: 0, codec: 'h264' },
      audio: [{ streamIndex: 1, action: 'copy', codec: 'aac' }],
      subtitles: [],
      reasons: [],
    };
    const capped = buildFfmpegArgs(plan, { ...io, threads: 2 });
    const full = buildFfmpegArgs(plan, { ...io, threads: 2, fullSpeed: true });
    expect(capped).toContain('-threads');
    expect(full).not.toContain('-threads');
    expect(full).toEqual(capped.filter((a, i) => a !== '-threads' && capped[i - 1] !== '-threads'));
  });

  it('remux + audio convert: preferred language first as default, AC3 to AAC, a WebVTT sidecar in the same pass', () => {
    const plan: RemuxPlan = {
      kind: 'remux',
      container: 'mp4',
      video: { copy: true, streamIndex: 0, codec: 'hevc' },
      audio: [
        { streamIndex: 2, action: 'copy', codec: 'aac', language: 'fre' },
        { streamIndex: 1, action: 'encode', codec: 'aac', bitrate: 384_000, channels: 6, language: 'eng' },
      ],
      subtitles: [{ index: 3, external: false, codec: 'srt', language: 'eng', forced: false, action: 'extract', format: 'vtt' }],
      reasons: [],
    };
    const args = buildFfmpegArgs(plan, { ...io, threads: 2, subtitleOutputs: [{ streamIndex: 3, format: 'vtt', path: '/work/k/a.vtt' }] });
    expect(args).toEqual([
      ...head,
      '-map',
      '0:0',
      '-map',
      '0:2',
      '-map',
      '0:1',
      '-c:v',
      'copy',
      '-tag:v',
      'hvc1',
      '-c:a:0',
      'copy',
      '-disposition:a:0',
      'default',
      '-c:a:1',
      'aac',
      '-b:a:1',
      '384k',
      '-ac:a:1',
      '6',
      '-disposition:a:1',
      '0',
      '-threads',
      '2',
      '-max_muxing_queue_size',
      '1024',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      '/work/k/Movie.partial-1.mp4',
      '-map',
      '0:3',
      '-c:s',
      'webvtt',
      '-f',
      'webvtt',
      '/work/k/a.vtt',
    ]);
  });

  it('full transcode: x264 veryfast, scaled to even dimensions, capped rate, fixed keyframes, 8-bit 4:2:0', () => {
    const plan: TranscodePlan = {
      kind: 'transcode',
      container: 'mp4',
      video: {
        streamIndex: 0,
        codec: 'h264',
        width: 1280,
        height: 720,
        maxBitrate: 3_740_000,
        bitrate: 3_366_000,
        bufsize: 7_480_000,
        profile: 'high',
        level: 41,
        pixFmt: 'yuv420p',
        keyframeIntervalSeconds: 3,
        framerate: 30,
        gop: 90,
      },
      audio: [{ streamIndex: 1, action: 'encode', codec: 'aac', bitrate: 128_000, channels: 2 }],
      subtitles: [{ index: 2, external: false, codec: 'mov_text', forced: false, action: 'embed', format: 'mov_text' }],
      reasons: [],
    };
    expect(buildFfmpegArgs(plan, { ...io, threads: 0, fullSpeed: true })).toEqual([
      ...head,
      '-vf',
      'fps=30,scale=1280:720,setsar=1',
      '-map',
      '0:0',
      '-map',
      '0:1',
      '-map',
      '0:2',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-profile:v',
      'high',
      '-level:v',
      '4.1',
      '-b:v',
      '3366k',
      '-maxrate',
      '3740k',
      '-bufsize',
      '7480k',
      '-pix_fmt',
      'yuv420p',
      '-g',
      '90',
      '-force_key_frames',
      'expr:gte(t,n_forced*3)',
      '-c:a:0',
      'aac',
      '-b:a:0',
      '128k',
      '-ac:a:0',
      '2',
      '-disposition:a:0',
      'default',
      '-c:s:0',
      'mov_text',
      '-max_muxing_queue_size',
      '1024',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      '/work/k/Movie.partial-1.mp4',
    ]);
  });

  it('transcode with a burned image subtitle: overlay at source size, then scale', () => {
    const plan: TranscodePlan = {
      kind: 'transcode',
      container: 'mp4',
      video: {
        streamIndex: 0,
        codec: 'h264',
        maxBitrate: 1_000_000,
        bitrate: 900_000,
        bufsize: 2_000_000,
        pixFmt: 'yuv420p',
        keyframeIntervalSeconds: 3,
      },
      audio: [{ streamIndex: 1, action: 'copy', codec: 'aac' }],
      subtitles: [{ index: 2, external: false, codec: 'pgssub', language: 'eng', forced: false, action: 'burn' }],
      reasons: [],
    };
    const args = buildFfmpegArgs(plan, io);
    expect(args.slice(head.length, head.length + 6)).toEqual([
      '-filter_complex',
      '[0:0][0:2]overlay,scale=trunc(iw/2)*2:trunc(ih/2)*2,setsar=1[v]',
      '-map',
      '[v]',
      '-map',
      '0:1',
    ]);
  });

  it('transcode with a burned text subtitle: libass with the path escaped for the filter graph', () => {
    const plan: TranscodePlan = {
      kind: 'transcode',
      container: 'mp4',
      video: {
        streamIndex: 0,
        codec: 'h264',
        width: 640,
        height: 360,
        maxBitrate: 1_000_000,
        bitrate: 900_000,
        bufsize: 2_000_000,
        pixFmt: 'yuv420p',
        keyframeIntervalSeconds: 3,
      },
      audio: [],
      subtitles: [
        { index: 1, external: false, codec: 'pgssub', forced: false, action: 'skip' },
        { index: 2, external: false, codec: 'ass', forced: false, action: 'burn' },
      ],
      reasons: [],
    };
    const args = buildFfmpegArgs(plan, { ...io, inputPath: "/media/It's: A [Film].mkv" });
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(
      "[0:0]subtitles=/media/It\\\\\\'s\\\\: A \\[Film\\].mkv:si=1,scale=640:360,setsar=1[v]",
    );
  });

  it('audio-only transcode: one stream to MP3 without cover art', () => {
    const plan: AudioTranscodePlan = {
      kind: 'audio-transcode',
      container: 'mp3',
      audio: { streamIndex: 0, action: 'encode', codec: 'mp3', bitrate: 128_000, channels: 2 },
      reasons: [],
    };
    expect(buildFfmpegArgs(plan, { ...io, inputPath: '/music/song.ogg', outputPath: '/work/k/song.mp3' })).toEqual([
      '-hide_banner',
      '-nostdin',
      '-y',
      '-v',
      'error',
      '-progress',
      'pipe:1',
      '-nostats',
      '-i',
      '/music/song.ogg',
      '-map',
      '0:0',
      '-vn',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '128k',
      '-ac',
      '2',
      '-id3v2_version',
      '3',
      '-threads',
      '1',
      '-f',
      'mp3',
      '/work/k/song.mp3',
    ]);
  });

  it('audio-only remux: AAC rewrapped as m4a', () => {
    const plan: AudioRemuxPlan = {
      kind: 'audio-remux',
      container: 'm4a',
      audio: { streamIndex: 1, action: 'copy', codec: 'aac' },
      reasons: [],
    };
    expect(buildFfmpegArgs(plan, { ...io, inputPath: '/music/song.mka', outputPath: '/work/k/song.m4a', threads: 0 })).toEqual([
      '-hide_banner',
      '-nostdin',
      '-y',
      '-v',
      'error',
      '-progress',
      'pipe:1',
      '-nostats',
      '-i',
      '/music/song.mka',
      '-map',
      '0:1',
      '-vn',
      '-c:a',
      'copy',
      '-movflags',
      '+faststart',
      '-f',
      'ipod',
      '/work/k/song.m4a',
    ]);
  });
});

describe('buildFfmpegArgs — picture and track fixes', () => {
  const encode = (video: Partial<TranscodePlan['video']>): TranscodePlan => ({
    kind: 'transcode',
    container: 'mp4',
    video: {
      streamIndex: 0,
      codec: 'h264',
      maxBitrate: 4_000_000,
      bitrate: 3_600_000,
      bufsize: 8_000_000,
      profile: 'high',
      pixFmt: 'yuv420p',
      keyframeIntervalSeconds: 3,
      gop: 75,
      ...video,
    },
    audio: [{ streamIndex: 1, action: 'copy', codec: 'aac' }],
    subtitles: [],
    reasons: [],
  });
  const x264 = (rate: string[], colour: string[] = []) => [
    '-map',
    '0:0',
    '-map',
    '0:1',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-profile:v',
    'high',
    ...rate,
    '-pix_fmt',
    'yuv420p',
    ...colour,
    '-g',
    '75',
    '-force_key_frames',
    'expr:gte(t,n_forced*3)',
    '-c:a:0',
    'copy',
    '-disposition:a:0',
    'default',
    '-max_muxing_queue_size',
    '1024',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    '/work/k/Movie.partial-1.mp4',
  ];
  const rate = ['-b:v', '3600k', '-maxrate', '4000k', '-bufsize', '8000k'];
  const bt709 = ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'];
  const all = { ...io, threads: 0 };

  it('deinterlace: bwdif by each frame’s field order before scaling, square pixels', () => {
    const args = buildFfmpegArgs(encode({ deinterlace: true, width: 768, height: 576 }), all);
    expect(args).toEqual([...head, '-vf', 'bwdif=mode=send_frame:parity=auto:deint=all,scale=768:576,setsar=1', ...x264(rate)]);
  });

  it('tone-map with zimg: scale first, PQ → linear → Hable → BT.709, tagged BT.709', () => {
    const args = buildFfmpegArgs(encode({ toneMap: { from: 'pq' }, width: 1280, height: 720 }), { ...all, filters: { zscale: true } });
    expect(args).toEqual([
      ...head,
      '-vf',
      'scale=1280:720,zscale=tin=smpte2084:min=bt2020nc:pin=bt2020:t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,' +
        'tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p,setsar=1',
      ...x264(rate, bt709),
    ]);
  });

  it('tone-map without zimg (npm 4.1 build): BT.2020 → BT.709 matrix in scale, still tagged BT.709', () => {
    const args = buildFfmpegArgs(encode({ toneMap: { from: 'hlg' }, width: 1280, height: 720 }), all);
    expect(args).toEqual([...head, '-vf', 'scale=1280:720:in_color_matrix=bt2020:out_color_matrix=bt709,setsar=1', ...x264(rate, bt709)]);
  });

  it('anamorphic: a 720x576 16:9 source planned at 1024x576 is scaled there with square pixels', () => {
    const args = buildFfmpegArgs(encode({ width: 1024, height: 576 }), all);
    expect(args).toEqual([...head, '-vf', 'scale=1024:576,setsar=1', ...x264(rate)]);
  });

  it('audio selection: only the kept tracks are mapped, the user’s first as default', () => {
    const plan: RemuxPlan = {
      kind: 'remux',
      container: 'mp4',
      video: { copy: true, streamIndex: 0, codec: 'h264' },
      audio: [
        { streamIndex: 3, action: 'copy', codec: 'aac', language: 'ger' },
        { streamIndex: 1, action: 'copy', codec: 'aac', language: 'eng' },
      ],
      subtitles: [],
      reasons: [],
    };
    expect(buildFfmpegArgs(plan, all)).toEqual([
      ...head,
      '-map',
      '0:0',
      '-map',
      '0:3',
      '-map',
      '0:1',
      '-c:v',
      'copy',
      '-c:a:0',
      'copy',
      '-disposition:a:0',
      'default',
      '-c:a:1',
      'copy',
      '-disposition:a:1',
      '0',
      '-max_muxing_queue_size',
      '1024',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      '/work/k/Movie.partial-1.mp4',
    ]);
  });
});

describe('buildSubtitleExtractArgs', () => {
  it('converts an embedded text stream to WebVTT by its absolute index', () => {
    expect(buildSubtitleExtractArgs({ inputPath: '/media/Movie.mkv', streamIndex: 3, format: 'vtt', outputPath: '/work/k/3.vtt' })).toEqual(
      [
        '-hide_banner',
        '-nostdin',
        '-y',
        '-v',
        'error',
        '-i',
        '/media/Movie.mkv',
        '-map',
        '0:3',
        '-c:s',
        'webvtt',
        '-f',
        'webvtt',
        '/work/k/3.vtt',
      ],
    );
  });

  it('converts a sidecar file, or UTF-8 text fed on stdin', () => {
    expect(buildSubtitleExtractArgs({ inputPath: '/media/Movie.fr.srt', format: 'vtt', outputPath: '/work/k/5.vtt' })).toEqual([
      '-hide_banner',
      '-nostdin',
      '-y',
      '-v',
      'error',
      '-i',
      '/media/Movie.fr.srt',
      '-map',
      '0:s:0',
      '-c:s',
      'webvtt',
      '-f',
      'webvtt',
      '/work/k/5.vtt',
    ]);
    expect(buildSubtitleExtractArgs({ inputPath: 'pipe:0', inputFormat: 'srt', format: 'vtt', outputPath: '/work/k/5.vtt' })).toEqual([
      '-hide_banner',
      '-y',
      '-v',
      'error',
      '-f',
      'srt',
      '-i',
      'pipe:0',
      '-map',
      '0:s:0',
      '-c:s',
      'webvtt',
      '-f',
      'webvtt',
      '/work/k/5.vtt',
    ]);
  });
});
