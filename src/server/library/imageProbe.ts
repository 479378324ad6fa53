/**
 * Photos are probed with sharp, not ffprobe: sharp reads the EXIF orientation (a phone's portrait shot is
 * stored landscape with Orientation 6, and its item must say portrait) and HEIC headers, which ffprobe
 * 5.1 cannot open at all.
 */
import path from 'node:path';
import { readImageFacts } from './imageCodec.js';
import { ProbeError, type ProbeResult } from './probe.js';

const CODEC_OF_FORMAT: Record<string, string> = { jpeg: 'mjpeg', png: 'png', webp: 'webp', gif: 'gif', tiff: 'tiff', avif: 'av1' };

export async function probeImage(file: string): Promise<ProbeResult> {
  let facts;
  try {
    facts = await readImageFacts(file);
  } catch (err) {
    throw new ProbeError(`not a readable image: ${(err as Error).message.split('\n')[0]}`, file);
  }
  const ext = path.extname(file).slice(1).toLowerCase();
  const codec = facts.format === 'heif' ? (facts.compression ?? 'hevc') : (CODEC_OF_FORMAT[facts.format] ?? facts.format);
  return {
    // As ffprobe's image2 demuxer named them: by extension.
    container: ext === 'jpeg' ? 'jpg' : ext,
    formatName: facts.format,
    streams: [
      {
        Type: 'Video',
        Index: 0,
        Codec: codec,
        Width: facts.width,
        Height: facts.height,
        IsDefault: true,
        IsForced: false,
        IsExternal: false,
      },
    ],
    tags: {},
  };
}
