import { describe, expect, it } from 'vitest';
import {
  cleanName,
  fileKind,
  findSidecarSubtitles,
  isArtworkImage,
  isHiddenName,
  languageFromToken,
  matchEpisode,
  parseAudioPath,
  parsePhotoPath,
  parseVideoPath,
  seasonNumberOfFolder,
  sortNameOf,
  splitNameAndYear,
  splitTrackNumber,
  videoMetadataFromTags,
} from '../../../src/server/library/layout.js';

const ROOT = '/media';
const video = (rel: string, tags = {}) => parseVideoPath(ROOT, `${ROOT}/${rel}`, tags);

describe('episodes', () => {
  it('reads Show/Season 01/Show - S01E02 - Title.ext', () => {
    expect(video('TV/Demo Show/Season 01/Demo Show - S01E02 - The Signal.mkv')).toEqual({
      type: 'Episode',
      name: 'The Signal',
      series: { name: 'Demo Show', year: undefined, key: '/media/TV/Demo Show' },
      seasonNumber: 1,
      seasonFolder: '/media/TV/Demo Show/Season 01',
      indexNumber: 2,
      indexNumberEnd: undefined,
    });
  });

  it('reads Show/S01E02.ext with no season folder and names the episode by number', () => {
    const e = video('Demo Show/S01E02.mp4');
    expect(e).toMatchObject({ type: 'Episode', name: 'Episode 2', seasonNumber: 1, indexNumber: 2 });
    expect(e.type === 'Episode' && e.series).toEqual({ name: 'Demo Show', year: undefined, key: '/media/Demo Show' });
    expect(e.type === 'Episode' && e.seasonFolder).toBeUndefined();
  });

  it('takes the episode title from the title tag when the file name has none', () => {
    expect(video('Demo Show/S01E02.mp4', { title: 'Tagged Title' })).toMatchObject({ name: 'Tagged Title' });
  });

  it('splits the series year off "Show (2019)/Season 1/..."', () => {
    const e = video('Show (2019)/Season 1/Show (2019) - S01E05 - Five.mkv');
    expect(e).toMatchObject({ type: 'Episode', name: 'Five', seasonNumber: 1, indexNumber: 5 });
    expect(e.type === 'Episode' && e.series).toEqual({ name: 'Show', year: 2019, key: '/media/Show (2019)' });
  });

  it('reads 1x02 forms', () => {
    expect(video('Show/Show - 2x07 - Late.avi')).toMatchObject({ type: 'Episode', seasonNumber: 2, indexNumber: 7, name: 'Late' });
    expect(video('Show/Season 3/3x10.mkv')).toMatchObject({ type: 'Episode', seasonNumber: 3, indexNumber: 10 });
  });

  it('does not read a resolution as an episode', () => {
    expect(matchEpisode('Holiday 1920x1080')).toBeUndefined();
    expect(video('Home/Holiday 1920x1080.mp4')).toMatchObject({ type: 'Video' });
  });

  it('reads multi-episode files S01E01E02 and S01E01-E02', () => {
    expect(video('Show/Show.S01E01E02.mkv')).toMatchObject({ indexNumber: 1, indexNumberEnd: 2 });
    expect(video('Show/Show - S01E03-E04 - Double.mkv')).toMatchObject({ indexNumber: 3, indexNumberEnd: 4, name: 'Double' });
  });

  it('reads release-style names with dots', () => {
    const e = video('TV/Some.Show.S02E03.Great.Title.720p.mkv');
    expect(e).toMatchObject({ type: 'Episode', seasonNumber: 2, indexNumber: 3 });
    // "TV" is a generic folder: the series comes from the file name.
    expect(e.type === 'Episode' && e.series).toEqual({ name: 'Some Show', year: undefined, key: '/media/TV/Some Show' });
  });

  it('names loose episodes at the root after the file name prefix', () => {
    const e = video('Loose Show - S01E01 - Start.mp4');
    expect(e.type === 'Episode' && e.series.name).toBe('Loose Show');
    expect(e.type === 'Episode' && e.series.key).toBe('/media/Loose Show');
  });

  it('takes a bare number in a season folder as the episode number', () => {
    expect(video('Show/Season 02/03 - Third.mkv')).toMatchObject({ type: 'Episode', seasonNumber: 2, indexNumber: 3, name: 'Third' });
    expect(video('Show/Season 02/E04.mkv')).toMatchObject({ seasonNumber: 2, indexNumber: 4 });
  });

  it('puts Specials in season 0', () => {
    expect(seasonNumberOfFolder('Specials')).toBe(0);
    expect(video('Show/Specials/Show - S00E01 - Behind.mkv')).toMatchObject({ seasonNumber: 0, indexNumber: 1 });
  });

  it('recognises season folder spellings', () => {
    expect(seasonNumberOfFolder('Season 01')).toBe(1);
    expect(seasonNumberOfFolder('season.12')).toBe(12);
    expect(seasonNumberOfFolder('S3')).toBe(3);
    expect(seasonNumberOfFolder('Staffel 2')).toBe(2);
    expect(seasonNumberOfFolder('Seasonal Songs')).toBeUndefined();
  });
});

describe('movies and other videos', () => {
  it('reads Movie Name (2010)/Movie Name (2010).mkv', () => {
    expect(video('Movie Name (2010)/Movie Name (2010).mkv')).toEqual({ type: 'Movie', name: 'Movie Name', year: 2010 });
  });

  it('reads Movies/Movie Name (2010).mp4', () => {
    expect(video('Movies/Movie Name (2010).mp4')).toEqual({ type: 'Movie', name: 'Movie Name', year: 2010 });
  });

  it('names a movie after its folder when the file name is generic', () => {
    expect(video('Films/Big Buck Test (2008)/movie.mkv')).toEqual({ type: 'Movie', name: 'Big Buck Test', year: 2008 });
  });

  it('treats any file under a Movies folder as a movie', () => {
    expect(video('Movies/Some Clip.mp4')).toMatchObject({ type: 'Movie', name: 'Some Clip' });
  });

  it('keeps a number that is part of the title', () => {
    expect(video('Movies/Blade Runner 2049 (2017).mkv')).toEqual({ type: 'Movie', name: 'Blade Runner 2049', year: 2017 });
    expect(splitNameAndYear('2001 A Space Odyssey (1968)')).toEqual({ name: '2001 A Space Odyssey', year: 1968 });
  });

  it('reads release names', () => {
    expect(splitNameAndYear('Big.Buck.Test.2008.1080p.BluRay.x264')).toEqual({ name: 'Big Buck Test', year: 2008 });
    expect(splitNameAndYear('Big Buck Test [2008]')).toEqual({ name: 'Big Buck Test', year: 2008 });
  });

  it('falls back to Video', () => {
    expect(video('Home Videos/Birthday.mp4')).toEqual({ type: 'Video', name: 'Birthday', year: undefined });
    expect(video('clip.webm', { year: 2015 })).toEqual({ type: 'Video', name: 'clip', year: 2015 });
  });

  it('handles unicode, quotes and emoji in names', () => {
    expect(video('Movies/Amélie\'s "Café" 🎬 (2001).mkv')).toEqual({ type: 'Movie', name: 'Amélie\'s "Café" 🎬', year: 2001 });
  });

  it('reads genres, studios and people from tags', () => {
    expect(
      videoMetadataFromTags({ genre: 'Drama;Comedy / Drama', studio: 'Acme; Other', director: 'A. Person, B. Person', actor: 'C' }),
    ).toEqual({
      genres: ['Drama', 'Comedy'],
      studios: ['Acme', 'Other'],
      people: [
        { name: 'A. Person', type: 'Director' },
        { name: 'B. Person', type: 'Director' },
        { name: 'C', type: 'Actor' },
      ],
      overview: undefined,
    });
  });
});

describe('music', () => {
  it('prefers tags', () => {
    const a = parseAudioPath(ROOT, '/media/Music/x/y/01 - file.mp3', {
      title: 'Opening Tone',
      artist: 'Test Pattern Orchestra; Guest',
      albumArtist: 'Test Pattern Orchestra',
      album: 'Sine Language',
      track: 1,
      disc: 1,
      genre: 'Electronic;Ambient',
      year: 2020,
    });
    expect(a).toEqual({
      type: 'Audio',
      name: 'Opening Tone',
      artists: ['Test Pattern Orchestra', 'Guest'],
      albumArtist: 'Test Pattern Orchestra',
      album: 'Sine Language',
      albumKey: 'test pattern orchestra\u0000sine language',
      folder: '/media/Music/x/y',
      indexNumber: 1,
      parentIndexNumber: 1,
      year: 2020,
      genres: ['Electronic', 'Ambient'],
    });
  });

  it('falls back to Artist/Album (Year)/NN - Title folders', () => {
    const a = parseAudioPath(ROOT, '/media/Music/Some Artist/Some Album (1999)/03 - A Song.flac');
    expect(a).toMatchObject({
      name: 'A Song',
      artists: ['Some Artist'],
      albumArtist: 'Some Artist',
      album: 'Some Album',
      indexNumber: 3,
      year: 1999,
    });
  });

  it('reads CD1 folders as discs of one album', () => {
    const a = parseAudioPath(ROOT, '/media/Artist/Album/CD2/01 Track.mp3');
    expect(a).toMatchObject({ album: 'Album', parentIndexNumber: 2, indexNumber: 1, folder: '/media/Artist/Album' });
  });

  it('keeps an untagged compilation together by folder', () => {
    const one = parseAudioPath(ROOT, '/media/Mix/01 - a.mp3', { artist: 'X', album: 'Mix Tape' });
    const two = parseAudioPath(ROOT, '/media/Mix/02 - b.mp3', { artist: 'Y', album: 'Mix Tape' });
    expect(one.albumKey).toBe(two.albumKey);
  });

  it('has no album for a loose file at the root', () => {
    expect(parseAudioPath(ROOT, '/media/tone.mp3')).toMatchObject({ album: undefined, albumKey: undefined, artists: [] });
  });

  it('splits track numbers from names', () => {
    expect(splitTrackNumber('01 - Title')).toEqual({ track: 1, rest: 'Title' });
    expect(splitTrackNumber('1-03 Title')).toEqual({ disc: 1, track: 3, rest: 'Title' });
    expect(splitTrackNumber('07. Title')).toEqual({ track: 7, rest: 'Title' });
    expect(splitTrackNumber('Title')).toEqual({ rest: 'Title' });
  });
});

describe('photos and file kinds', () => {
  it('classifies by extension, case-insensitively', () => {
    expect(fileKind('a.MKV')).toBe('video');
    expect(fileKind('a.flac')).toBe('audio');
    expect(fileKind('a.HEIC')).toBe('image');
    expect(fileKind('a.srt')).toBe('subtitle');
    expect(fileKind('a.nfo')).toBeUndefined();
  });

  it('treats cover art and images beside media as artwork, not photos', () => {
    expect(isArtworkImage('folder.jpg', false)).toBe(true);
    expect(isArtworkImage('Movie (2010)-poster.png', false)).toBe(true);
    expect(isArtworkImage('IMG_0001.jpg', true)).toBe(true);
    expect(isArtworkImage('IMG_0001.jpg', false)).toBe(false);
  });

  it('names photos after their file', () => {
    expect(parsePhotoPath('/media/Photos/Beach 🏖.jpg')).toEqual({ type: 'Photo', name: 'Beach 🏖' });
  });

  it('hides dot-files and NAS litter', () => {
    expect(isHiddenName('.DS_Store')).toBe(true);
    expect(isHiddenName('.x.mp4.partial')).toBe(true);
    expect(isHiddenName('@eaDir')).toBe(true);
    expect(isHiddenName('Movie.mp4')).toBe(false);
  });
});

describe('sidecar subtitles', () => {
  const siblings = [
    'Movie.mkv',
    'Movie.srt',
    'Movie.en.srt',
    'Movie.eng.forced.srt',
    'Movie.fr.vtt',
    'Movie.English.SDH.ass',
    'movie.de.ssa',
    'Movie.Director Commentary.srt',
    'Other.srt',
    '.Movie.en.srt',
    'Movie.nfo',
  ];

  it('finds every subtitle named after the video, with language and flags', () => {
    const subs = findSidecarSubtitles('/m/Movie.mkv', siblings);
    const byName = Object.fromEntries(subs.map((s) => [s.fileName, s]));
    expect(Object.keys(byName).sort()).toEqual(
      [
        'Movie.Director Commentary.srt',
        'Movie.English.SDH.ass',
        'Movie.en.srt',
        'Movie.eng.forced.srt',
        'Movie.fr.vtt',
        'Movie.srt',
        'movie.de.ssa',
      ].sort(),
    );
    expect(byName['Movie.srt']).toMatchObject({ codec: 'srt', isForced: false, path: '/m/Movie.srt' });
    expect(byName['Movie.srt']!.language).toBeUndefined();
    expect(byName['Movie.en.srt']).toMatchObject({ language: 'eng', isForced: false });
    expect(byName['Movie.eng.forced.srt']).toMatchObject({ language: 'eng', isForced: true });
    expect(byName['Movie.fr.vtt']).toMatchObject({ codec: 'vtt', language: 'fre' });
    expect(byName['Movie.English.SDH.ass']).toMatchObject({ codec: 'ass', language: 'eng', isHearingImpaired: true, title: 'SDH' });
    expect(byName['movie.de.ssa']).toMatchObject({ codec: 'ssa', language: 'ger' });
    expect(byName['Movie.Director Commentary.srt']).toMatchObject({ title: 'Director Commentary' });
    expect(byName['Movie.Director Commentary.srt']!.language).toBeUndefined();
  });

  it('gives a subtitle to the longest video name it extends', () => {
    const names = ['Movie.mkv', 'Movie.Extended.mkv', 'Movie.Extended.en.srt', 'Movie.en.srt'];
    expect(findSidecarSubtitles('/m/Movie.mkv', names).map((s) => s.fileName)).toEqual(['Movie.en.srt']);
    expect(findSidecarSubtitles('/m/Movie.Extended.mkv', names).map((s) => s.fileName)).toEqual(['Movie.Extended.en.srt']);
  });

  it('reads language tokens', () => {
    expect(languageFromToken('en')).toBe('eng');
    expect(languageFromToken('pt-BR')).toBe('por');
    expect(languageFromToken('German')).toBe('ger');
    expect(languageFromToken('spa')).toBe('spa');
    expect(languageFromToken('commentary')).toBeUndefined();
  });
});

describe('names', () => {
  it('sorts naturally without articles', () => {
    expect(sortNameOf('The Signal')).toBe('signal');
    expect(sortNameOf('Episode 9') < sortNameOf('Episode 10')).toBe(true);
    expect(sortNameOf('The')).toBe('the');
  });

  it('turns release dots into spaces only when there are no spaces', () => {
    expect(cleanName('Some.Show')).toBe('Some Show');
    expect(cleanName('Mr. Robot')).toBe('Mr. Robot');
  });
});
