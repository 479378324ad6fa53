import { spawn } from 'node:child_process';
import path from 'node:path';
import type { MediaStream } from '../../shared/api/items.js';
import { TICKS_PER_SECOND } from '../../shared/api/items.js';
import { describeFailure, runTool } from '../media/runTool.js';
import { ffprobeArgs } from '../media/selfTest.js';

/** Container-level tags the library uses; keys are ffprobe's, lower-cased (MKV writes them upper-case). */
export interface MediaTags {
  title?: string;
  artist?: string;
  albumArtist?: string;
  album?: string;
  genre?: string;
  track?: number;
  disc?: number;
  date?: string;
  year?: number;
  comment?: string;
  studio?: string;
  director?: string;
  composer?: string;
  actor?: string;
}

export interface ProbeResult {
  /** Normalised container name as Emby clients expect it in DirectPlayProfiles (mp4, mkv, webm, mp3…). */
  container?: string;
  /** ffprobe's raw format_name, kept for diagnostics. */
  formatName: string;
  runTimeTicks?: number;
  bitrate?: number;
  streams: MediaStream[];
  tags: MediaTags;
}

/** Why a probe failed, phrased for the administrator's scan report. */
export class ProbeError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

export interface MediaProberOptions {
  /** A truncated or hostile file can make ffprobe hang on a network share; never wait longer than this. */
  timeoutMs?: number;
}

/**
 * Runs ffprobe on one file. The parsing lives in `parseProbeOutput`, which is pure and unit-tested.
 * Given several ffprobe binaries (the toolchain's chosen one first), a file that crashes one is tried with
 * the next before it is called unreadable: static ffprobe builds have died with SIGSEGV on inputs a
 * distribution build reads.
 */
export class MediaProber {
  private readonly timeoutMs: number;
  private readonly probers: readonly string[];

  constructor(ffprobe: string | readonly string[], options: MediaProberOptions = {}) {
    this.probers = typeof ffprobe === 'string' ? [ffprobe] : ffprobe;
    if (this.probers.length === 0) throw new Error('MediaProber needs at least one ffprobe');
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async probe(file: string): Promise<ProbeResult> {
    const crashes: string[] = [];
    for (const bin of this.probers) {
      const run = await runTool(bin, ffprobeArgs(file), { timeoutMs: this.timeoutMs });
      if (run.signal) {
        crashes.push(`${bin} crashed (${run.signal})`);
        continue;
      }
      if (run.timedOut) throw new ProbeError(`ffprobe timed out after ${this.timeoutMs} ms`, file);
      if (run.spawnError === 'ENOENT') throw new ProbeError(`ffprobe not found at ${bin} (set FFPROBE_PATH)`, file);
      if (run.code !== 0) throw new ProbeError(probeErrorReason(run.stderr, file) || describeFailure(run, this.timeoutMs), file);
      try {
        return parseProbeOutput(JSON.parse(run.stdout) as FfprobeOutput, file);
      } catch (e) {
        throw new ProbeError(`unreadable ffprobe output: ${(e as Error).message}`, file);
      }
    }
    throw new ProbeError(`every ffprobe crashed on this file: ${crashes.join('; ')}`, file);
  }

  /**
   * Where the data really ends: the latest packet end (pts + duration) ffprobe can read, in seconds. Reads
   * the file through, so it is only asked of files already known to be cut; lines are consumed as they come
   * (a film has hundreds of thousands of packets). Undefined when no packet could be read.
   */
  lastPacketSeconds(file: string): Promise<number | undefined> {
    const args = ['-v', 'quiet', '-show_entries', 'packet=pts_time,dts_time,duration_time', '-of', 'csv=p=0', '--', file];
    return new Promise((resolve) => {
      const child = spawn(this.probers[0]!, args, { stdio: ['ignore', 'pipe', 'ignore'] });
      const timer = setTimeout(() => child.kill('SIGKILL'), this.timeoutMs * 4);
      let latest: number | undefined;
      let rest = '';
      const take = (line: string) => {
        const [pts, dts, dur] = line.split(',').map((v) => (v === '' || v === 'N/A' ? NaN : Number(v)));
        const at = Number.isFinite(pts) ? pts! : dts!;
        if (!Number.isFinite(at)) return;
        const end = at + (Number.isFinite(dur) ? dur! : 0);
        if (latest === undefined || end > latest) latest = end;
      };
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        lines.forEach(take);
      });
      const done = () => {
        clearTimeout(timer);
        if (rest) take(rest);
        resolve(latest);
      };
      child.on('error', done);
      child.on('close', done);
    });
  }
}

/** ffprobe's first error line without its "[demuxer @ 0x…]" or "<file>: " prefix: the report shows the file. */
export function probeErrorReason(stderr: string, file: string): string {
  const line =
    stderr
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? '';
  let reason = line.replace(/^\[[^\]]*@\s*0x[0-9a-f]+\]\s*/i, '');
  if (reason.startsWith(file + ': ')) reason = reason.slice(file.length + 2);
  return reason.slice(0, 300);
}

// ---------------------------------------------------------------------------------------------
// Parsing (pure)

export interface FfprobeStream {
  index: number;
  codec_name?: string;
  codec_type?: string;
  codec_tag_string?: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  display_aspect_ratio?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  bit_rate?: string;
  channels?: number;
  channel_layout?: string;
  sample_rate?: string;
  field_order?: string;
  refs?: number;
  is_avc?: string | boolean;
  color_transfer?: string;
  color_primaries?: string;
  color_space?: string;
  disposition?: Record<string, number>;
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
}

export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; bit_rate?: string; tags?: Record<string, string> };
}

const TEXT_SUBTITLE_CODECS = new Set(['subrip', 'srt', 'ass', 'ssa', 'mov_text', 'webvtt', 'text', 'vtt']);

export function isTextSubtitleCodec(codec: string | undefined): boolean {
  return codec !== undefined && TEXT_SUBTITLE_CODECS.has(codec.toLowerCase());
}

export function parseProbeOutput(out: FfprobeOutput, file: string): ProbeResult {
  const format = out.format ?? {};
  const formatName = format.format_name ?? '';
  const seconds = num(format.duration);
  const streams = (out.streams ?? []).map((s) => toMediaStream(s)).filter((s): s is MediaStream => s !== undefined);
  return {
    container: normalizeContainer(formatName, file),
    formatName,
    runTimeTicks: seconds !== undefined && seconds > 0 ? Math.round(seconds * TICKS_PER_SECOND) : undefined,
    bitrate: int(format.bit_rate),
    streams,
    tags: parseTags(format.tags ?? {}),
  };
}

function toMediaStream(s: FfprobeStream): MediaStream | undefined {
  const tags = lowerKeys(s.tags ?? {});
  const disp = s.disposition ?? {};
  const base = {
    Index: s.index,
    Codec: s.codec_name?.toLowerCase(),
    CodecTag: s.codec_tag_string && !s.codec_tag_string.startsWith('[') ? s.codec_tag_string : undefined,
    Language: language(tags.language),
    Title: tags.title || undefined,
    IsDefault: disp.default === 1,
    IsForced: disp.forced === 1,
    IsExternal: false,
  };
  switch (s.codec_type) {
    case 'video': {
      // Cover art in MP3/M4A/MKV is a one-frame "video" stream flagged attached_pic: not a video track.
      const isImage = disp.attached_pic === 1;
      const stream: MediaStream = {
        ...base,
        Type: isImage ? 'EmbeddedImage' : 'Video',
        Profile: s.profile || undefined,
        Level: s.level !== undefined && s.level > 0 ? s.level : undefined,
        BitDepth: bitDepth(s),
        PixelFormat: s.pix_fmt,
        Width: s.width,
        Height: s.height,
        AspectRatio: s.display_aspect_ratio && s.display_aspect_ratio !== '0:1' ? s.display_aspect_ratio : undefined,
        AverageFrameRate: isImage ? undefined : rate(s.avg_frame_rate),
        RealFrameRate: isImage ? undefined : rate(s.r_frame_rate),
        BitRate: int(s.bit_rate),
        IsInterlaced: s.field_order !== undefined && !['progressive', 'unknown'].includes(s.field_order),
        Rotation: rotation(s, tags),
        RefFrames: s.refs,
        IsAVC: s.is_avc === true || s.is_avc === 'true' ? true : undefined,
        ColorTransfer: s.color_transfer,
        ColorPrimaries: s.color_primaries,
        ColorSpace: s.color_space,
        VideoRange: isImage ? undefined : videoRange(s.color_transfer),
      };
      return stripUndefined(stream);
    }
    case 'audio':
      return stripUndefined({
        ...base,
        Type: 'Audio',
        Profile: s.profile || undefined,
        BitRate: int(s.bit_rate),
        Channels: s.channels,
        ChannelLayout: s.channel_layout,
        SampleRate: int(s.sample_rate),
        BitDepth: int(s.bits_per_raw_sample),
      } satisfies MediaStream);
    case 'subtitle':
      return stripUndefined({
        ...base,
        Type: 'Subtitle',
        IsTextSubtitleStream: isTextSubtitleCodec(s.codec_name),
        SupportsExternalStream: isTextSubtitleCodec(s.codec_name),
      } satisfies MediaStream);
    default:
      // Data and attachment streams (fonts in MKV, timecode tracks) are not played.
      return undefined;
  }
}

function bitDepth(s: FfprobeStream): number | undefined {
  const raw = int(s.bits_per_raw_sample);
  if (raw) return raw;
  const m = /p(9|10|12|14|16)(le|be)?$/.exec(s.pix_fmt ?? '');
  if (m) return Number(m[1]);
  return s.pix_fmt ? 8 : undefined;
}

function rotation(s: FfprobeStream, tags: Record<string, string>): number | undefined {
  // ffprobe ≥ 5 reports the display matrix as side data; older muxers left a "rotate" tag.
  const side = s.side_data_list?.find((d) => typeof d.rotation === 'number');
  let deg = side?.rotation ?? num(tags.rotate);
  if (deg === undefined) return undefined;
  deg = ((Math.round(deg) % 360) + 360) % 360;
  return deg === 0 ? undefined : deg;
}

function videoRange(transfer: string | undefined): string {
  return transfer === 'smpte2084' || transfer === 'arib-std-b67' ? 'HDR' : 'SDR';
}

function rate(r: string | undefined): number | undefined {
  if (!r) return undefined;
  const [n, d] = r.split('/').map(Number);
  if (!n || !d || !Number.isFinite(n / d)) return undefined;
  return Math.round((n / d) * 1000) / 1000;
}

function language(lang: string | undefined): string | undefined {
  if (!lang) return undefined;
  const l = lang.toLowerCase();
  return l === 'und' || l === 'unk' ? undefined : l;
}

function parseTags(raw: Record<string, string>): MediaTags {
  const t = lowerKeys(raw);
  const pick = (...keys: string[]) => {
    for (const k of keys) {
      const v = t[k]?.trim();
      if (v) return v;
    }
    return undefined;
  };
  const date = pick('date', 'year', 'date_released', 'originaldate');
  return stripUndefined({
    title: pick('title'),
    artist: pick('artist', 'artists', 'performer'),
    albumArtist: pick('album_artist', 'album artist', 'albumartist'),
    album: pick('album'),
    genre: pick('genre'),
    track: leadingInt(pick('track', 'tracknumber')),
    disc: leadingInt(pick('disc', 'discnumber')),
    // Not creation_time: that is when the file was muxed, not when the work was released.
    date,
    year: yearFrom(date),
    comment: pick('comment', 'description', 'synopsis'),
    studio: pick('studio', 'publisher', 'network', 'production_company', 'label'),
    director: pick('director'),
    composer: pick('composer'),
    actor: pick('actor', 'actors'),
  });
}

function yearFrom(date: string | undefined): number | undefined {
  const m = date ? /(?:^|\D)(1[89]\d\d|20\d\d)(?:\D|$)/.exec(date) : null;
  return m ? Number(m[1]) : undefined;
}

/** "3/12" → 3. */
function leadingInt(v: string | undefined): number | undefined {
  const m = v ? /^\s*(\d+)/.exec(v) : null;
  const n = m ? Number(m[1]) : undefined;
  return n && n > 0 ? n : undefined;
}

/**
 * ffprobe names demuxers, not containers: "mov,mp4,m4a,3gp,3g2,mj2" is every ISO-BMFF file and
 * "matroska,webm" both Matroska flavours. Clients match DirectPlayProfiles on a single container name, so
 * the file extension picks among the demuxer's aliases.
 */
export function normalizeContainer(formatName: string, file: string): string | undefined {
  const ext = path.extname(file).slice(1).toLowerCase();
  const names = formatName.toLowerCase().split(',').filter(Boolean);
  if (names.length === 0) return ext || undefined;
  if (names.includes('matroska') || names.includes('webm')) return ext === 'webm' ? 'webm' : 'mkv';
  if (names.includes('mov') || names.includes('mp4')) {
    if (ext === 'm4a' || ext === 'm4b') return 'm4a';
    if (ext === 'mov') return 'mov';
    if (ext === '3gp') return '3gp';
    if (ext === 'm4v') return 'm4v';
    return 'mp4';
  }
  const aliases: Record<string, string> = {
    mpegts: 'ts',
    mpeg: 'mpeg',
    asf: ext === 'wma' ? 'wma' : 'asf',
    ogg: ext === 'opus' ? 'opus' : ext === 'oga' ? 'ogg' : 'ogg',
    wav: 'wav',
    flac: 'flac',
    mp3: 'mp3',
    aac: 'aac',
    avi: 'avi',
    flv: 'flv',
    image2: ext === 'jpeg' ? 'jpg' : ext,
    png_pipe: 'png',
    jpeg_pipe: 'jpg',
    webp_pipe: 'webp',
    gif: 'gif',
  };
  const first = names[0]!;
  return aliases[first] ?? first;
}

function lowerKeys(o: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) out[k.toLowerCase()] = v;
  return out;
}

function num(v: string | number | undefined): number | undefined {
  if (v === undefined || v === null || v === '' || v === 'N/A') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function int(v: string | number | undefined): number | undefined {
  const n = num(v);
  return n !== undefined && n > 0 ? Math.round(n) : undefined;
}

function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
