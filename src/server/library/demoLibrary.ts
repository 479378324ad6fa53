/**
 * The demo library: when no media folder is configured, a small library is generated with ffmpeg's test
 * sources so every play decision can be seen at once — direct play (H.264/AAC MP4), remux (H.264 + AC3
 * in MKV), transcode (HEVC, VP9), a bitrate over the Medium cap, embedded and sidecar subtitles, and a
 * tagged album with cover art. Seconds-long clips at small sizes: generated in well under a minute on 2
 * cores. Files are written under hidden temp names and renamed, so a scan never sees half a file, and a
 * marker makes a second call free.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LibraryLogger } from './images.js';
import { silentLogger } from './images.js';

/** Bump when the generated content changes: an older demo folder is then rebuilt. */
export const DEMO_LIBRARY_VERSION = 1;
const MARKER = '.stowaway-demo.json';

export type VideoCodec = 'h264' | 'hevc' | 'vp9';
export type AudioCodec = 'aac' | 'ac3' | 'mp3' | 'opus' | 'flac';
export type SubtitleCodec = 'mov_text' | 'srt' | 'ass' | 'webvtt';

export interface ClipSpec {
  seconds: number;
  /** Omit for audio-only files. */
  video?: {
    codec: VideoCodec;
    size?: string;
    /** e.g. "7M": constant bitrate (x264 pads with filler), for "over the cap" cases. */
    bitrate?: string;
    source?: 'testsrc2' | 'smptebars' | 'mandelbrot' | 'rgbtestsrc';
    fps?: number;
  };
  audio?: { codec: AudioCodec; frequency?: number; channels?: number; language?: string };
  /** An SRT file to embed, converted to `codec` (mov_text for MP4, srt/ass for MKV). */
  subtitles?: { srtFile: string; codec: SubtitleCodec; language?: string; title?: string };
  /** An image file to attach as cover art (audio files). */
  cover?: string;
  metadata?: Record<string, string>;
}

/** The ffmpeg argument list that writes `spec` to `out` (format from `out`'s extension). */
export function clipArgs(spec: ClipSpec, out: string, format?: string): string[] {
  const args = ['-v', 'error', '-y', '-nostdin'];
  const maps: string[] = [];
  const codecs: string[] = [];
  let input = 0;
  const d = spec.seconds;
  const ext = (format ?? path.extname(out).slice(1)).toLowerCase();
  const isMp4 = ext === 'mp4' || ext === 'm4v' || ext === 'mov' || ext === 'm4a';
  if (spec.video) {
    const v = spec.video;
    const size = v.size ?? '640x360';
    const fps = v.fps ?? 25;
    const src = v.source ?? 'testsrc2';
    // mandelbrot has no duration option: -t on the input bounds it.
    const graph = src === 'mandelbrot' ? `mandelbrot=size=${size}:rate=${fps}` : `${src}=size=${size}:rate=${fps}:duration=${d}`;
    args.push('-f', 'lavfi', '-t', String(d), '-i', graph);
    maps.push('-map', `${input++}:v`);
    if (v.codec === 'h264') {
      codecs.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(fps * 2));
      if (v.bitrate)
        codecs.push('-b:v', v.bitrate, '-minrate', v.bitrate, '-maxrate', v.bitrate, '-bufsize', v.bitrate, '-x264-params', 'nal-hrd=cbr');
    } else if (v.codec === 'hevc') {
      codecs.push('-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-x265-params', 'log-level=error');
      if (isMp4) codecs.push('-tag:v', 'hvc1');
      if (v.bitrate) codecs.push('-b:v', v.bitrate);
    } else {
      codecs.push('-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', v.bitrate ?? '600k', '-pix_fmt', 'yuv420p');
    }
  }
  if (spec.audio) {
    const a = spec.audio;
    args.push('-f', 'lavfi', '-t', String(d), '-i', `sine=frequency=${a.frequency ?? 440}:sample_rate=48000:duration=${d}`);
    maps.push('-map', `${input++}:a`);
    const enc: Record<AudioCodec, string[]> = {
      aac: ['-c:a', 'aac', '-b:a', '128k'],
      ac3: ['-c:a', 'ac3', '-b:a', '192k'],
      mp3: ['-c:a', 'libmp3lame', '-b:a', '128k'],
      opus: ['-c:a', 'libopus', '-b:a', '96k'],
      flac: ['-c:a', 'flac'],
    };
    codecs.push(...enc[a.codec], '-ac', String(a.channels ?? 2));
    if (a.language) codecs.push('-metadata:s:a:0', `language=${a.language}`);
  }
  if (spec.subtitles) {
    const s = spec.subtitles;
    args.push('-i', s.srtFile);
    maps.push('-map', `${input++}:s`);
    codecs.push('-c:s', s.codec);
    if (s.language) codecs.push('-metadata:s:s:0', `language=${s.language}`);
    if (s.title) codecs.push('-metadata:s:s:0', `title=${s.title}`);
  }
  if (spec.cover) {
    args.push('-i', spec.cover);
    maps.push('-map', `${input++}:v`);
    // The cover is the only "video" of an audio file; ID3 and MP4 both carry PNG as is.
    codecs.push(
      '-c:v',
      'copy',
      '-disposition:v:0',
      'attached_pic',
      '-metadata:s:v:0',
      'title=Album cover',
      '-metadata:s:v:0',
      'comment=Cover (front)',
    );
    if (ext === 'mp3') codecs.push('-id3v2_version', '3');
  }
  for (const [k, v] of Object.entries(spec.metadata ?? {})) codecs.push('-metadata', `${k}=${v}`);
  // use_metadata_tags: MP4 otherwise drops tags it has no atom for (studio, director).
  if (isMp4) codecs.push('-movflags', '+faststart+use_metadata_tags');
  const fmt = format ? ['-f', format] : [];
  return [...args, ...maps, ...codecs, '-t', String(d), ...fmt, out];
}

export function runFfmpeg(ffmpegPath: string, args: string[], timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(ffmpegPath, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 }, (err, _o, stderr) => {
      if (err)
        reject(new Error(`ffmpeg failed (${args.at(-1)}): ${String(stderr).trim().split('\n').slice(-3).join(' | ') || err.message}`));
      else resolve();
    });
  });
}

/** Writes through a hidden temp name (scanners skip dot-files) and renames when ffmpeg is done. */
export async function writeClip(ffmpegPath: string, spec: ClipSpec, out: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(out), { recursive: true });
  const ext = path.extname(out).slice(1).toLowerCase();
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.partial`);
  const format = {
    mp4: 'mp4',
    m4v: 'mp4',
    mkv: 'matroska',
    webm: 'webm',
    mp3: 'mp3',
    m4a: 'ipod',
    flac: 'flac',
    ogg: 'ogg',
    opus: 'opus',
    png: 'image2',
    jpg: 'image2',
  }[ext];
  try {
    await runFfmpeg(ffmpegPath, clipArgs(spec, tmp, format ?? ext));
    await fs.promises.rename(tmp, out);
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

/** A still image from a lavfi source (cover art, photos). */
export async function writeStill(ffmpegPath: string, out: string, source: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(out), { recursive: true });
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.partial`);
  try {
    // The temp name hides the extension from image2, so the codec is named here.
    const codec = /\.png$/i.test(out) ? ['-c:v', 'png'] : ['-c:v', 'mjpeg', '-q:v', '3'];
    await runFfmpeg(ffmpegPath, [
      '-v',
      'error',
      '-y',
      '-nostdin',
      '-f',
      'lavfi',
      '-i',
      source,
      '-frames:v',
      '1',
      ...codec,
      '-f',
      'image2',
      tmp,
    ]);
    await fs.promises.rename(tmp, out);
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

/** Subtitle text: `[startSeconds, endSeconds, text]` cues → SRT. */
export function srtText(cues: ReadonlyArray<readonly [number, number, string]>): string {
  const ts = (s: number) => {
    const ms = Math.round(s * 1000);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${p(Math.floor(ms / 3_600_000))}:${p(Math.floor(ms / 60_000) % 60)}:${p(Math.floor(ms / 1000) % 60)},${p(ms % 1000, 3)}`;
  };
  return cues.map(([a, b, t], i) => `${i + 1}\n${ts(a)} --> ${ts(b)}\n${t}\n`).join('\n');
}

interface DemoFile {
  rel: string;
  make: (out: string, tmpDir: string) => Promise<void>;
}

function demoFiles(ffmpeg: string): DemoFile[] {
  const clip = (rel: string, spec: ClipSpec | ((tmp: string) => Promise<ClipSpec>)): DemoFile => ({
    rel,
    make: async (out, tmp) => writeClip(ffmpeg, typeof spec === 'function' ? await spec(tmp) : spec, out),
  });
  const subtitleFile = async (tmp: string, name: string, cues: ReadonlyArray<readonly [number, number, string]>) => {
    const f = path.join(tmp, name);
    await fs.promises.writeFile(f, srtText(cues));
    return f;
  };
  const episode = (season: number, ep: number, title: string, extra: Partial<ClipSpec> = {}, ext = 'mp4') =>
    clip(
      `TV/Demo Show (2018)/Season ${String(season).padStart(2, '0')}/Demo Show - S${String(season).padStart(2, '0')}E${String(ep).padStart(2, '0')} - ${title}.${ext}`,
      {
        seconds: 4,
        video: { codec: 'h264', size: '640x360', source: season === 1 ? 'testsrc2' : 'smptebars' },
        audio: { codec: 'aac', frequency: 300 + ep * 110, language: 'eng' },
        metadata: { genre: 'Comedy;Science Fiction', studio: 'Test Pattern Studios', network: 'Test Pattern Studios' },
        ...extra,
      },
    );
  // One cover for the album, made once even when two tracks are encoded in parallel.
  let cover: Promise<string> | undefined;
  const coverIn = (tmp: string) =>
    (cover ??= (async () => {
      const file = path.join(tmp, 'cover.png');
      await writeStill(ffmpeg, file, 'rgbtestsrc=size=300x300');
      return file;
    })());
  const track = (n: number, title: string, frequency: number): DemoFile => ({
    rel: `Music/Test Pattern Orchestra/Sine Language (2020)/${String(n).padStart(2, '0')} - ${title}.mp3`,
    make: async (out, tmp) => {
      await writeClip(
        ffmpeg,
        {
          seconds: 5,
          audio: { codec: 'mp3', frequency },
          cover: await coverIn(tmp),
          metadata: {
            title,
            artist: 'Test Pattern Orchestra',
            album_artist: 'Test Pattern Orchestra',
            album: 'Sine Language',
            track: `${n}/3`,
            disc: '1/1',
            genre: 'Electronic',
            date: '2020',
          },
        },
        out,
      );
    },
  });
  return [
    clip('Movies/Big Buck Test (2021)/Big Buck Test (2021).mp4', {
      seconds: 8,
      video: { codec: 'h264', size: '640x360' },
      audio: { codec: 'aac', language: 'eng' },
      metadata: {
        title: 'Big Buck Test',
        genre: 'Animation;Comedy',
        studio: 'Test Pattern Studios',
        director: 'Ada Lovelace',
        date: '2021-03-14',
        comment: 'A rabbit-free test card adventure: direct play everywhere.',
      },
    }),
    clip('Movies/Colour Bars (2019)/Colour Bars (2019).mkv', {
      seconds: 6,
      video: { codec: 'h264', size: '640x360', source: 'smptebars' },
      audio: { codec: 'ac3', channels: 6, language: 'eng' },
      metadata: {
        title: 'Colour Bars',
        genre: 'Documentary',
        studio: 'Broadcast Engineering Films',
        date: '2019',
        comment: 'H.264 with AC3 5.1 in Matroska: a remux with audio conversion for browsers.',
      },
    }),
    clip('Movies/Mandelbrot Dreams (2020)/Mandelbrot Dreams (2020).mkv', {
      seconds: 5,
      // testsrc2, not mandelbrot: rendering the fractal cost ~2 s of CPU on its own (measured), and the
      // clip is here for its codec (HEVC: browsers need a transcode), not its picture.
      video: { codec: 'hevc', size: '640x360', source: 'testsrc2' },
      audio: { codec: 'aac', language: 'eng' },
      metadata: {
        title: 'Mandelbrot Dreams',
        genre: 'Science Fiction',
        studio: 'Fractal Pictures',
        date: '2020',
        comment: 'HEVC: browsers need a transcode.',
      },
    }),
    clip('Movies/Test Card Nights (2017)/Test Card Nights (2017).mkv', {
      seconds: 5,
      video: { codec: 'vp9', size: '640x360', source: 'rgbtestsrc' },
      audio: { codec: 'opus', language: 'fre' },
      metadata: { title: 'Test Card Nights', genre: 'Drama', studio: 'Fractal Pictures', date: '2017' },
    }),
    clip('Movies/High Rate Sample (2022)/High Rate Sample (2022).mp4', {
      seconds: 6,
      video: { codec: 'h264', size: '1280x720', bitrate: '7M' },
      audio: { codec: 'aac', language: 'eng' },
      metadata: {
        title: 'High Rate Sample',
        genre: 'Documentary',
        studio: 'Broadcast Engineering Films',
        date: '2022',
        comment: 'About 7.5 Mbps: over the 4 Mbps Medium cap.',
      },
    }),
    episode(1, 1, 'Pilot'),
    {
      rel: 'TV/Demo Show (2018)/Season 01/Demo Show - S01E01 - Pilot.en.srt',
      make: async (out) => {
        const tmpOut = path.join(path.dirname(out), `.${path.basename(out)}.partial`);
        await fs.promises.writeFile(
          tmpOut,
          srtText([
            [0.5, 2, 'Welcome to the Demo Show.'],
            [2.2, 3.8, 'Tonight: the pilot episode.'],
          ]),
        );
        await fs.promises.rename(tmpOut, out);
      },
    },
    episode(1, 2, 'The Signal', {}, 'mkv'),
    clip('TV/Demo Show (2018)/Season 01/Demo Show - S01E03 - Subtitles Included.mkv', async (tmp) => ({
      seconds: 4,
      video: { codec: 'h264', size: '640x360' },
      audio: { codec: 'aac', frequency: 550, language: 'eng' },
      subtitles: {
        srtFile: await subtitleFile(tmp, 's01e03.srt', [
          [0.3, 1.8, 'Can you read this?'],
          [2, 3.7, 'These words live inside the file.'],
        ]),
        codec: 'srt',
        language: 'eng',
        title: 'English',
      },
      metadata: { genre: 'Comedy;Science Fiction', studio: 'Test Pattern Studios' },
    })),
    clip('TV/Demo Show (2018)/Season 02/Demo Show - S02E01 - Second Wind.mp4', async (tmp) => ({
      seconds: 4,
      video: { codec: 'h264', size: '640x360', source: 'smptebars' },
      audio: { codec: 'aac', frequency: 660, language: 'eng' },
      subtitles: {
        srtFile: await subtitleFile(tmp, 's02e01.srt', [[0.5, 3.5, 'Season two begins with a timed text track.']]),
        codec: 'mov_text',
        language: 'eng',
      },
      metadata: { genre: 'Comedy;Science Fiction', studio: 'Test Pattern Studios' },
    })),
    episode(2, 2, 'Bars and Tones'),
    track(1, 'Opening Tone', 440),
    track(2, 'Perfect Fifth', 660),
    track(3, 'Closing Octave', 880),
    { rel: 'Photos/Test Card.png', make: (out) => writeStill(ffmpeg, out, 'testsrc2=size=800x600') },
    { rel: 'Photos/Colour Bars.jpg', make: (out) => writeStill(ffmpeg, out, 'smptehdbars=size=1024x576') },
  ];
}

export interface DemoLibraryOptions {
  ffmpegPath: string;
  dataDir: string;
  logger?: LibraryLogger;
  /** ffmpeg processes at once (2 fits a 2-core box). */
  concurrency?: number;
  /** Called with (files written, files to write) as generation goes. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Ensures `<dataDir>/demo-media` holds the current demo library and returns it. Idempotent: a complete
 * folder of this version is returned untouched; an older or interrupted one is completed.
 */
export async function ensureDemoLibrary(opts: DemoLibraryOptions): Promise<string> {
  const dir = path.join(opts.dataDir, 'demo-media');
  const log = opts.logger ?? silentLogger;
  const markerPath = path.join(dir, MARKER);
  const marker = readMarker(markerPath);
  if (marker?.version === DEMO_LIBRARY_VERSION && marker.complete) return dir;
  if (marker && marker.version !== DEMO_LIBRARY_VERSION) {
    // Our own folder: an older demo is replaced as a whole, not merged.
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = await fs.promises.mkdtemp(path.join(dir, '.work-'));
  const started = Date.now();
  try {
    const files = byCostFirst(demoFiles(opts.ffmpegPath)).filter((f) => !fs.existsSync(path.join(dir, f.rel)));
    let next = 0;
    let done = 0;
    opts.onProgress?.(0, files.length);
    const worker = async () => {
      while (next < files.length) {
        const f = files[next++]!;
        const out = path.join(dir, f.rel);
        await fs.promises.mkdir(path.dirname(out), { recursive: true });
        const t0 = Date.now();
        await f.make(out, tmp);
        log.debug({ file: f.rel, ms: Date.now() - t0 }, 'demo file written');
        opts.onProgress?.(++done, files.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
  await fs.promises.writeFile(
    markerPath,
    JSON.stringify({ version: DEMO_LIBRARY_VERSION, complete: true, date: new Date().toISOString() }),
  );
  log.info({ dir, ms: Date.now() - started }, 'demo library generated');
  return dir;
}

/**
 * The costliest encodes first, so two workers finish together instead of one starting the 720p clip last
 * (measured order: the 7 Mbps 720p H.264, HEVC, VP9, the 8 s movie, then the 4–5 s clips and stills).
 */
function byCostFirst(files: DemoFile[]): DemoFile[] {
  const heavy = ['High Rate Sample', 'Mandelbrot Dreams', 'Test Card Nights', 'Big Buck Test'];
  const rank = (f: DemoFile) => {
    const i = heavy.findIndex((h) => f.rel.includes(h));
    return i < 0 ? heavy.length : i;
  };
  return [...files].sort((a, b) => rank(a) - rank(b));
}

function readMarker(file: string): { version: number; complete: boolean } | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number; complete: boolean };
  } catch {
    return undefined;
  }
}
