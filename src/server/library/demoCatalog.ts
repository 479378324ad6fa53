/**
 * What the demo library holds, file by file: five movies (one per play decision: direct, remux with audio
 * conversion, HEVC and VP9 transcodes, a bitrate over the Medium cap), a two-season series with sidecar and
 * embedded subtitles, a tagged three-track album with cover art, and two photos. A change here that alters
 * a file changes the demo: bump DEMO_LIBRARY_VERSION (demoLibrary.ts) so older folders are rebuilt.
 */
import fs from 'node:fs';
import path from 'node:path';
import { srtText, writeClip, writeStill, type ClipSpec } from './clipWriter.js';

export interface DemoFile {
  /** Path below the demo folder. */
  rel: string;
  make: (out: string, tmpDir: string) => Promise<void>;
}

type Cues = ReadonlyArray<readonly [number, number, string]>;
type Clip = (rel: string, spec: ClipSpec | ((tmp: string) => Promise<ClipSpec>)) => DemoFile;

export function demoFiles(ffmpeg: string): DemoFile[] {
  const clip: Clip = (rel, spec) => ({
    rel,
    make: async (out, tmp) => writeClip(ffmpeg, typeof spec === 'function' ? await spec(tmp) : spec, out),
  });
  return [...demoMovies(clip), ...demoShow(clip), ...demoAlbum(ffmpeg), ...demoPhotos(ffmpeg)];
}

/** `Movies/<Title> (<year>)/<Title> (<year>).<ext>`, tagged with its title first. */
function movie(clip: Clip, title: string, year: number, ext: string, spec: ClipSpec): DemoFile {
  const name = `${title} (${year})`;
  return clip(`Movies/${name}/${name}.${ext}`, { ...spec, metadata: { title, ...spec.metadata } });
}

function demoMovies(clip: Clip): DemoFile[] {
  return [
    movie(clip, 'Big Buck Test', 2021, 'mp4', {
      seconds: 8,
      video: { codec: 'h264', size: '640x360' },
      audio: { codec: 'aac', language: 'eng' },
      metadata: {
        genre: 'Animation;Comedy',
        studio: 'Test Pattern Studios',
        director: 'Ada Lovelace',
        date: '2021-03-14',
        comment: 'A rabbit-free test card adventure: direct play everywhere.',
      },
    }),
    movie(clip, 'Colour Bars', 2019, 'mkv', {
      seconds: 6,
      video: { codec: 'h264', size: '640x360', source: 'smptebars' },
      audio: { codec: 'ac3', channels: 6, language: 'eng' },
      metadata: {
        genre: 'Documentary',
        studio: 'Broadcast Engineering Films',
        date: '2019',
        comment: 'H.264 with AC3 5.1 in Matroska: a remux with audio conversion for browsers.',
      },
    }),
    movie(clip, 'Mandelbrot Dreams', 2020, 'mkv', {
      seconds: 5,
      // testsrc2, not mandelbrot: rendering the fractal cost ~2 s of CPU on its own (measured), and the
      // clip is here for its codec (HEVC: browsers need a transcode), not its picture.
      video: { codec: 'hevc', size: '640x360', source: 'testsrc2' },
      audio: { codec: 'aac', language: 'eng' },
      metadata: { genre: 'Science Fiction', studio: 'Fractal Pictures', date: '2020', comment: 'HEVC: browsers need a transcode.' },
    }),
    movie(clip, 'Test Card Nights', 2017, 'mkv', {
      seconds: 5,
      video: { codec: 'vp9', size: '640x360', source: 'rgbtestsrc' },
      audio: { codec: 'opus', language: 'fre' },
      metadata: { genre: 'Drama', studio: 'Fractal Pictures', date: '2017' },
    }),
    movie(clip, 'High Rate Sample', 2022, 'mp4', {
      seconds: 6,
      video: { codec: 'h264', size: '1280x720', bitrate: '7M' },
      audio: { codec: 'aac', language: 'eng' },
      metadata: {
        genre: 'Documentary',
        studio: 'Broadcast Engineering Films',
        date: '2022',
        comment: 'About 7.5 Mbps: over the 4 Mbps Medium cap.',
      },
    }),
  ];
}

const SHOW = 'TV/Demo Show (2018)';
const SHOW_TAGS = { genre: 'Comedy;Science Fiction', studio: 'Test Pattern Studios' };

async function subtitleFile(tmp: string, name: string, cues: Cues): Promise<string> {
  const f = path.join(tmp, name);
  await fs.promises.writeFile(f, srtText(cues));
  return f;
}

function demoShow(clip: Clip): DemoFile[] {
  const pad = (n: number) => String(n).padStart(2, '0');
  const episode = (season: number, ep: number, title: string, extra: Partial<ClipSpec> = {}, ext = 'mp4') =>
    clip(`${SHOW}/Season ${pad(season)}/Demo Show - S${pad(season)}E${pad(ep)} - ${title}.${ext}`, {
      seconds: 4,
      video: { codec: 'h264', size: '640x360', source: season === 1 ? 'testsrc2' : 'smptebars' },
      audio: { codec: 'aac', frequency: 300 + ep * 110, language: 'eng' },
      metadata: { ...SHOW_TAGS, network: 'Test Pattern Studios' },
      ...extra,
    });
  return [
    episode(1, 1, 'Pilot'),
    {
      rel: `${SHOW}/Season 01/Demo Show - S01E01 - Pilot.en.srt`,
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
    clip(`${SHOW}/Season 01/Demo Show - S01E03 - Subtitles Included.mkv`, async (tmp) => ({
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
      metadata: SHOW_TAGS,
    })),
    clip(`${SHOW}/Season 02/Demo Show - S02E01 - Second Wind.mp4`, async (tmp) => ({
      seconds: 4,
      video: { codec: 'h264', size: '640x360', source: 'smptebars' },
      audio: { codec: 'aac', frequency: 660, language: 'eng' },
      subtitles: {
        srtFile: await subtitleFile(tmp, 's02e01.srt', [[0.5, 3.5, 'Season two begins with a timed text track.']]),
        codec: 'mov_text',
        language: 'eng',
      },
      metadata: SHOW_TAGS,
    })),
    episode(2, 2, 'Bars and Tones'),
  ];
}

function demoAlbum(ffmpeg: string): DemoFile[] {
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
      const metadata = {
        title,
        artist: 'Test Pattern Orchestra',
        album_artist: 'Test Pattern Orchestra',
        album: 'Sine Language',
        track: `${n}/3`,
        disc: '1/1',
        genre: 'Electronic',
        date: '2020',
      };
      await writeClip(ffmpeg, { seconds: 5, audio: { codec: 'mp3', frequency }, cover: await coverIn(tmp), metadata }, out);
    },
  });
  return [track(1, 'Opening Tone', 440), track(2, 'Perfect Fifth', 660), track(3, 'Closing Octave', 880)];
}

function demoPhotos(ffmpeg: string): DemoFile[] {
  return [
    { rel: 'Photos/Test Card.png', make: (out) => writeStill(ffmpeg, out, 'testsrc2=size=800x600') },
    { rel: 'Photos/Colour Bars.jpg', make: (out) => writeStill(ffmpeg, out, 'smptehdbars=size=1024x576') },
  ];
}
