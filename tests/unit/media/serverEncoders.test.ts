import { describe, expect, it } from 'vitest';
import { serverEncoders } from '../../../src/server/media/serverEncoders.js';
import { aToolchain } from '../../helpers/toolchain.js';

describe('serverEncoders', () => {
  it('counts a codec encodable when the toolchain has the encoder ffmpegArgs passes for it', () => {
    const toolchain = aToolchain({ encoders: ['libx264', 'libvpx', 'aac', 'libopus', 'libmp3lame', 'ac3', 'flac', 'mpeg4'] });
    expect(serverEncoders(toolchain)).toEqual({ video: ['h264', 'vp8'], audio: ['aac', 'mp3', 'opus', 'ac3', 'flac'] });
  });

  it('maps every encoder of a full build, HEVC through libx265 and VP9 through libvpx-vp9', () => {
    const all = ['libx264', 'libx265', 'libvpx-vp9', 'libvpx', 'aac', 'libmp3lame', 'libopus', 'libvorbis', 'ac3', 'eac3', 'flac'];
    expect(serverEncoders(aToolchain({ encoders: all }))).toEqual({
      video: ['h264', 'hevc', 'vp9', 'vp8'],
      audio: ['aac', 'mp3', 'opus', 'vorbis', 'ac3', 'eac3', 'flac'],
    });
  });

  it('does not take a codec name for its encoder: "opus" and "vorbis" are ffmpeg\'s experimental native ones', () => {
    expect(serverEncoders(aToolchain({ encoders: ['libx264', 'aac', 'opus', 'vorbis', 'hevc'] }))).toEqual({
      video: ['h264'],
      audio: ['aac'],
    });
  });
  it('knows nothing when the toolchain lists no encoder at all (ffmpeg missing): plans stay as they were', () => {
    // Else every plan would fall back to serving the source, and a device that needs a remux would be sent a
    // file it cannot play instead of an item failing with "ffmpeg not found".
    expect(serverEncoders(aToolchain({ encoders: [] }))).toBeUndefined();
  });
});
