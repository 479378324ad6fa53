import { describe, expect, it } from 'vitest';
import { normalizeContainer, parseProbeOutput, probeErrorReason, type FfprobeOutput } from '../../../src/server/library/probe.js';

describe('normalizeContainer', () => {
  it('picks the ISO-BMFF flavour by extension', () => {
    const mov = 'mov,mp4,m4a,3gp,3g2,mj2';
    expect(normalizeContainer(mov, '/a/b.mp4')).toBe('mp4');
    expect(normalizeContainer(mov, '/a/b.M4A')).toBe('m4a');
    expect(normalizeContainer(mov, '/a/b.mov')).toBe('mov');
  });

  it('tells Matroska from WebM by extension', () => {
    expect(normalizeContainer('matroska,webm', '/a/b.mkv')).toBe('mkv');
    expect(normalizeContainer('matroska,webm', '/a/b.webm')).toBe('webm');
  });

  it('keeps simple demuxer names', () => {
    expect(normalizeContainer('avi', 'x.avi')).toBe('avi');
    expect(normalizeContainer('mp3', 'x.mp3')).toBe('mp3');
    expect(normalizeContainer('flac', 'x.flac')).toBe('flac');
    expect(normalizeContainer('ogg', 'x.ogg')).toBe('ogg');
    expect(normalizeContainer('mpegts', 'x.ts')).toBe('ts');
    expect(normalizeContainer('png_pipe', 'x.png')).toBe('png');
  });
});

describe('parseProbeOutput', () => {
  const out: FfprobeOutput = {
    streams: [
      {
        index: 0,
        codec_type: 'video',
        codec_name: 'hevc',
        profile: 'Main 10',
        level: 120,
        width: 1920,
        height: 1080,
        pix_fmt: 'yuv420p10le',
        avg_frame_rate: '24000/1001',
        r_frame_rate: '24000/1001',
        field_order: 'progressive',
        color_transfer: 'smpte2084',
        disposition: { default: 1, forced: 0 },
        tags: { language: 'und' },
        side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }],
      },
      {
        index: 1,
        codec_type: 'audio',
        codec_name: 'ac3',
        channels: 6,
        channel_layout: '5.1(side)',
        sample_rate: '48000',
        bit_rate: '384000',
        disposition: { default: 1 },
        tags: { LANGUAGE: 'ger', title: 'Deutsch' },
      },
      { index: 2, codec_type: 'subtitle', codec_name: 'subrip', disposition: { forced: 1 }, tags: { language: 'eng' } },
      { index: 3, codec_type: 'subtitle', codec_name: 'hdmv_pgs_subtitle', disposition: {} },
      { index: 4, codec_type: 'attachment', codec_name: 'ttf' },
      { index: 5, codec_type: 'video', codec_name: 'mjpeg', width: 300, height: 300, disposition: { attached_pic: 1 } },
    ],
    format: {
      format_name: 'matroska,webm',
      duration: '5.005',
      bit_rate: '2500000',
      tags: {
        TITLE: 'A Title',
        ARTIST: 'Someone',
        album_artist: 'Band',
        ALBUM: 'Record',
        GENRE: 'Rock',
        track: '3/12',
        disc: '1/2',
        DATE: '2019-05-04',
        comment: 'Nice',
      },
    },
  };
  const r = parseProbeOutput(out, '/x/file.mkv');

  it('reads format facts', () => {
    expect(r.container).toBe('mkv');
    expect(r.runTimeTicks).toBe(50_050_000);
    expect(r.bitrate).toBe(2_500_000);
    expect(r.tags).toEqual({
      title: 'A Title',
      artist: 'Someone',
      albumArtist: 'Band',
      album: 'Record',
      genre: 'Rock',
      track: 3,
      disc: 1,
      date: '2019-05-04',
      year: 2019,
      comment: 'Nice',
    });
  });

  it('reads a video stream with bit depth, frame rate, rotation and HDR', () => {
    expect(r.streams[0]).toMatchObject({
      Type: 'Video',
      Index: 0,
      Codec: 'hevc',
      Profile: 'Main 10',
      Level: 120,
      BitDepth: 10,
      Width: 1920,
      Height: 1080,
      AverageFrameRate: 23.976,
      RealFrameRate: 23.976,
      Rotation: 270,
      VideoRange: 'HDR',
      IsDefault: true,
      IsForced: false,
      IsExternal: false,
    });
    expect(r.streams[0]!.Language).toBeUndefined();
  });

  it('reads audio with language and title from any-case tags', () => {
    expect(r.streams[1]).toMatchObject({
      Type: 'Audio',
      Codec: 'ac3',
      Channels: 6,
      ChannelLayout: '5.1(side)',
      SampleRate: 48000,
      BitRate: 384000,
      Language: 'ger',
      Title: 'Deutsch',
    });
  });

  it('marks text subtitles and forced flags; image subtitles are not text', () => {
    expect(r.streams[2]).toMatchObject({ Type: 'Subtitle', Codec: 'subrip', IsTextSubtitleStream: true, IsForced: true, Language: 'eng' });
    expect(r.streams[3]).toMatchObject({ Type: 'Subtitle', IsTextSubtitleStream: false });
  });

  it('drops attachments and turns cover art into EmbeddedImage', () => {
    expect(r.streams.map((s) => s.Type)).toEqual(['Video', 'Audio', 'Subtitle', 'Subtitle', 'EmbeddedImage']);
  });

  it('survives an empty output', () => {
    expect(parseProbeOutput({}, '/x/a.mp4')).toEqual({
      container: 'mp4',
      formatName: '',
      runTimeTicks: undefined,
      bitrate: undefined,
      streams: [],
      tags: {},
    });
  });
});

describe('probeErrorReason', () => {
  it('drops the demuxer and file prefixes', () => {
    expect(
      probeErrorReason(
        '[mov,mp4,m4a,3gp,3g2,mj2 @ 0xa895100] moov atom not found\n/x/a.mp4: Invalid data found when processing input\n',
        '/x/a.mp4',
      ),
    ).toBe('moov atom not found');
    expect(probeErrorReason('/x/a b.mp4: Invalid data found when processing input\n', '/x/a b.mp4')).toBe(
      'Invalid data found when processing input',
    );
  });
});
