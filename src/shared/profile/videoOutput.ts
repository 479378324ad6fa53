/** Frame size and rate control for a video transcode. */

/** Below this a transcode is pointless; also the floor API.md §5.6 sets for the video bitrate. */
export const MIN_VIDEO_BITRATE = 64_000;
/** Headroom under the cap: x264 with -b:v at the cap measured 4.05–4.30 Mbps total for 4 Mbps (README §3). */
export const RATE_MARGIN = 100_000;

export interface RateControl {
  /** -maxrate */
  maxBitrate: number;
  /** -b:v */
  bitrate: number;
  /** -bufsize */
  bufsize: number;
}

const round1k = (bps: number) => Math.max(1000, Math.round(bps / 1000) * 1000);

/**
 * Rate control under a total cap: maxrate = cap − audio − margin (never under 64 kbps), an average 10 %
 * below it and a two-second-ish VBV buffer, which kept measured totals under the cap.
 */
export function rateControlForCap(cap: number, audioBitrate: number): RateControl {
  const maxBitrate = round1k(Math.max(cap - audioBitrate - RATE_MARGIN, MIN_VIDEO_BITRATE));
  return { maxBitrate, bitrate: round1k(maxBitrate * 0.9), bufsize: maxBitrate * 2 };
}

/** Rate control for a target video bitrate when no cap applies. */
export function rateControlForTarget(target: number): RateControl {
  const maxBitrate = round1k(Math.max(target, MIN_VIDEO_BITRATE));
  return { maxBitrate, bitrate: round1k(maxBitrate * 0.9), bufsize: maxBitrate * 2 };
}

/**
 * The largest frame worth encoding at a video bitrate. x264 veryfast needs roughly 0.1 bit per pixel
 * per frame at 30 fps to look clean (README §3 measured 480p at 1.5 Mbps, 720p at 3 Mbps, 1080p at
 * 6 Mbps); a bigger frame at the same bitrate looks worse *and* encodes 2–4× slower on a 2-core box.
 * Sizes are long side × short side, so portrait video gets the same treatment.
 */
const LADDER: readonly { upTo: number; long: number; short: number }[] = [
  { upTo: 1_500_000, long: 854, short: 480 },
  { upTo: 4_000_000, long: 1280, short: 720 },
  { upTo: 8_000_000, long: 1920, short: 1080 },
  { upTo: 14_000_000, long: 2560, short: 1440 },
];

export function ladderBox(videoBitrate: number): { long: number; short: number } | undefined {
  const rung = LADDER.find((r) => videoBitrate <= r.upTo);
  return rung ? { long: rung.long, short: rung.short } : undefined;
}

/**
 * The bitrate a codec-only transcode (no cap) deserves: the source's video bitrate, 1.5× for sources in
 * codecs about that much more efficient than H.264 (HEVC, VP9, AV1), never above 40 Mbps. Without a
 * source bitrate, ~0.1 bit per pixel per frame.
 */
export function sourceWorthyBitrate(
  sourceCodec: string,
  sourceVideoBitrate: number | undefined,
  width: number | undefined,
  height: number | undefined,
  framerate: number | undefined,
): number | undefined {
  const efficient = ['hevc', 'vp9', 'av1'].includes(sourceCodec);
  if (sourceVideoBitrate && sourceVideoBitrate > 0) {
    return Math.min(sourceVideoBitrate * (efficient ? 1.5 : 1), 40_000_000);
  }
  if (width && height) return Math.min(width * height * Math.min(framerate ?? 30, 60) * 0.1, 40_000_000);
  return undefined;
}

export interface FrameLimits {
  maxWidth?: number;
  maxHeight?: number;
  box?: { long: number; short: number };
}

/** Floor to an even number ≥ 2 (4:2:0 chroma needs even dimensions). */
const evenFloor = (n: number) => Math.max(2, Math.floor(n / 2) * 2);
const evenNearest = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/**
 * The output size for a displayed frame of `width`×`height` (already rotated): scaled down keeping the
 * aspect ratio to fit every limit, never up, with even dimensions.
 */
export function fitFrame(width: number, height: number, limits: FrameLimits): { width: number; height: number } {
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  const factors = [1];
  if (limits.maxWidth) factors.push(limits.maxWidth / width);
  if (limits.maxHeight) factors.push(limits.maxHeight / height);
  if (limits.box) factors.push(limits.box.long / long, limits.box.short / short);
  const f = Math.min(...factors);
  const maxW = Math.min(limits.maxWidth ?? Infinity, limits.box ? (width >= height ? limits.box.long : limits.box.short) : Infinity, width);
  const maxH = Math.min(
    limits.maxHeight ?? Infinity,
    limits.box ? (width >= height ? limits.box.short : limits.box.long) : Infinity,
    height,
  );
  // Nearest even keeps the aspect closest; fall back to floor where rounding up would break a limit.
  let w = evenNearest(width * f);
  let h = evenNearest(height * f);
  if (w > maxW) w = evenFloor(maxW);
  if (h > maxH) h = evenFloor(maxH);
  return { width: w, height: h };
}

/** H.264 levels (× 10) with their frame-size and macroblock-rate limits (ITU-T H.264 Table A-1). */
const H264_LEVELS: readonly [level: number, maxFrameMbs: number, maxMbPerSecond: number][] = [
  [30, 1620, 40_500],
  [31, 3600, 108_000],
  [32, 5120, 216_000],
  [40, 8192, 245_760],
  [41, 8192, 245_760],
  [42, 8704, 522_240],
  [50, 22_080, 589_824],
  [51, 36_864, 983_040],
  [52, 36_864, 2_073_600],
];

/** The lowest H.264 level (× 10) a frame size and rate need; undefined beyond 5.2. */
export function h264LevelFor(width: number, height: number, fps: number): number | undefined {
  const mbs = Math.ceil(width / 16) * Math.ceil(height / 16);
  return H264_LEVELS.find(([, fs, rate]) => mbs <= fs && mbs * fps <= rate)?.[0];
}
