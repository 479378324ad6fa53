/**
 * What a re-encode does to the picture besides scaling: the frame shape a viewer sees (rotation,
 * anamorphic pixels), deinterlacing, and HDR → SDR tone-mapping. Pure facts from the probed stream.
 */
import type { MediaStream } from '../api/items.js';
import { codecConditions, conditionsPass, parseRatio, type SourceProperties } from './conditions.js';
import type { VideoEncode } from './plan.js';
import type { DeviceProfile } from './types.js';

/**
 * The frame as it is displayed, in square pixels: an anamorphic source (a DVD's 720×576 shown at 16:9)
 * keeps its height and takes the width its display aspect ratio gives (1024×576), so the output never
 * looks squashed; a rotated phone clip swaps width and height (ffmpeg turns the frames upright while
 * decoding). A display ratio within 1 % of the stored one is rounding, not anamorphic.
 */
export function displayFrame(video: MediaStream): { width: number; height: number } | undefined {
  const { Width: w, Height: h } = video;
  if (!w || !h || w <= 0 || h <= 0) return undefined;
  let width = w;
  const dar = parseRatio(video.AspectRatio);
  if (dar !== undefined && Math.abs(dar - w / h) / (w / h) > 0.01) width = Math.round(h * dar);
  const rotated = Math.abs(video.Rotation ?? 0) % 180 === 90;
  return rotated ? { width: h, height: width } : { width, height: h };
}

/** The source's HDR transfer, from the probed colour transfer (PQ = HDR10, HLG). */
export function hdrTransfer(video: MediaStream): 'pq' | 'hlg' | undefined {
  const trc = video.ColorTransfer?.toLowerCase();
  if (trc === 'smpte2084') return 'pq';
  if (trc === 'arib-std-b67') return 'hlg';
  return undefined;
}

/**
 * Whether the profile says the output codec may carry HDR: a VideoRange or VideoRangeType condition for it
 * that an HDR source passes. No such condition means the device never told us it can show HDR — most
 * screens can't — so the picture is tone-mapped rather than shown grey and washed out.
 */
export function profileDeclaresHdr(profile: DeviceProfile, codec: string, container: string, props: SourceProperties): boolean {
  const rangeConditions = codecConditions(profile.CodecProfiles, { type: 'Video', codec, container: [container] }, props).filter(
    (c) => c.Property === 'VideoRange' || c.Property === 'VideoRangeType',
  );
  return rangeConditions.length > 0 && conditionsPass(rangeConditions, props);
}

/** Deinterlacing and tone-mapping for a re-encode of `video` into `codec`/`container`, with the reasons. */
export function pictureFixes(
  video: MediaStream,
  profile: DeviceProfile,
  codec: string,
  container: string,
  props: SourceProperties,
  reasons: string[],
): Pick<VideoEncode, 'deinterlace' | 'toneMap'> {
  const fixes: Pick<VideoEncode, 'deinterlace' | 'toneMap'> = {};
  if (video.IsInterlaced === true) {
    fixes.deinterlace = true;
    reasons.push('interlaced source: deinterlaced');
  }
  const hdr = hdrTransfer(video);
  if (hdr && !profileDeclaresHdr(profile, codec, container, props)) {
    fixes.toneMap = { from: hdr };
    reasons.push(`${hdr === 'pq' ? 'HDR10 (PQ)' : 'HLG'} source on a device that declares no HDR: tone-mapped to SDR BT.709`);
  }
  return fixes;
}
