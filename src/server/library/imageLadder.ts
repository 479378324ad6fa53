/**
 * Requested image sizes snap to a small ladder, so any client can ask for any size but the server makes
 * and keeps at most a few dozen variants per image (issue 14: six requests of odd sizes ran seven ffmpeg
 * processes and kept every result). A size snaps up to the next rung — the client scales the little
 * extra down — and never above the source: images are never enlarged.
 */

export interface ImageVariantOptions {
  maxWidth?: number;
  maxHeight?: number;
  width?: number;
  height?: number;
  /** 1–100, as Emby clients send it. */
  quality?: number;
}

/** Widths and heights a variant can have (pixels). */
export const SIZE_LADDER = [120, 240, 360, 480, 720, 960, 1280, 1920, 2560, 3840] as const;
/** JPEG qualities a variant can have. */
export const QUALITY_LADDER = [60, 75, 90] as const;
const DEFAULT_QUALITY = 90;

/** The box a variant fits inside (width and/or height) and its JPEG quality, all on the ladders. */
export interface SnappedVariant {
  width?: number;
  height?: number;
  quality: number;
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

export function snapSize(n: number): number {
  return SIZE_LADDER.find((rung) => rung >= n) ?? SIZE_LADDER[SIZE_LADDER.length - 1]!;
}

export function snapQuality(q: number | undefined): number {
  const want = Math.min(100, Math.max(1, q ?? DEFAULT_QUALITY));
  return QUALITY_LADDER.find((rung) => rung >= want) ?? QUALITY_LADDER[QUALITY_LADDER.length - 1]!;
}

/**
 * Undefined when no size and no quality was asked for (the stored image is served as it is). `width` /
 * `height` (Emby's "exactly") and `maxWidth` / `maxHeight` both become a bounding box: the image keeps
 * its aspect ratio, as every client displays it with object-fit anyway.
 */
export function snapVariant(o: ImageVariantOptions): SnappedVariant | undefined {
  const w = positive(o.width) ?? positive(o.maxWidth);
  const h = positive(o.height) ?? positive(o.maxHeight);
  if (w === undefined && h === undefined && o.quality === undefined) return undefined;
  return { width: w && snapSize(w), height: h && snapSize(h), quality: snapQuality(o.quality) };
}

/** File name of a variant of the image with `tag`: one per ladder point. */
export function variantKey(tag: string, v: SnappedVariant): string {
  return `${tag}-w${v.width ?? ''}-h${v.height ?? ''}-q${v.quality}`;
}
