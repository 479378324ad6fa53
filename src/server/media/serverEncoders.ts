/**
 * The output codecs this server can encode, from the toolchain's encoder list: a codec counts when the
 * chosen ffmpeg has the encoder convert/ffmpegArgs.ts would pass for it (shared/profile/encoders.ts). The
 * self-test only demands libx264 and aac, so a build without libx265, libvpx or libopus still runs, and the
 * decision uses this to take a profile's next codec instead of planning one ffmpeg refuses.
 */
import { AUDIO_ENCODERS, VIDEO_ENCODERS, type ServerEncoders } from '../../shared/profile/encoders.js';
import type { Toolchain } from './toolchain.js';

/**
 * Undefined when the toolchain knows no encoder at all (its ffmpeg is missing or would not list them):
 * nothing can be said about codecs then, so plans are made as usual and the conversion fails with what is
 * missing ("ffmpeg not found") — not served as the source, which the device may not be able to play.
 */
export function serverEncoders(toolchain: Pick<Toolchain, 'hasEncoder' | 'encoders'>): ServerEncoders | undefined {
  if (toolchain.encoders.length === 0) return undefined;
  const have = (table: Readonly<Record<string, string>>) =>
    Object.entries(table)
      .filter(([, encoder]) => toolchain.hasEncoder(encoder))
      .map(([codec]) => codec);
  return { video: have(VIDEO_ENCODERS), audio: have(AUDIO_ENCODERS) };
}
