import { describe, expect, it } from 'vitest';
import { declaredKind, sniffMedia } from '../../../src/server/uploads/mediaSniff.js';
import { albumFolder, safeFileName, safeSegment, uniqueName } from '../../../src/server/uploads/uploadPaths.js';
import { parseContentRange } from '../../../src/server/uploads/contentRange.js';

const bytes = (...parts: Array<number[] | string>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('sniffMedia', () => {
  it.each([
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0]), 'jpg'],
    ['PNG', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]), 'png'],
    ['GIF', bytes('GIF89a'), 'gif'],
    ['WebP', bytes('RIFF', [0, 0, 0, 0], 'WEBP'), 'webp'],
    ['HEIC', bytes([0, 0, 0, 24], 'ftypheic'), 'heic'],
    ['MP4', bytes([0, 0, 0, 24], 'ftypisom'), 'mp4'],
    ['MOV', bytes([0, 0, 0, 20], 'ftypqt  '), 'mov'],
    ['MKV', bytes([0x1a, 0x45, 0xdf, 0xa3], 'matroska'), 'mkv'],
    ['WebM', bytes([0x1a, 0x45, 0xdf, 0xa3], 'xxwebm'), 'webm'],
  ])('recognises %s from its first bytes', (_name, head, ext) => {
    expect(sniffMedia(head)?.ext).toBe(ext);
  });

  it('refuses text, PDF and empty input', () => {
    expect(sniffMedia(bytes('This is a shopping list'))).toBeUndefined();
    expect(sniffMedia(bytes('%PDF-1.7'))).toBeUndefined();
    expect(sniffMedia(new Uint8Array(0))).toBeUndefined();
  });

  it('reads declared types: image/video yes, octet-stream asks the bytes, anything else no', () => {
    expect(declaredKind('image/jpeg; q=1')).toBe('image');
    expect(declaredKind('VIDEO/MP4')).toBe('video');
    expect(declaredKind('application/octet-stream')).toBe('unknown');
    expect(declaredKind(undefined)).toBe('unknown');
    expect(declaredKind('text/plain')).toBe('other');
  });
});

describe('upload paths', () => {
  it('keeps a name inside its folder: separators, .. and leading dots go, unicode stays', () => {
    expect(safeSegment('../../etc/passwd', 'x')).toBe('_._etc_passwd');
    expect(safeSegment('..', 'fallback')).toBe('fallback');
    expect(safeSegment('.hidden', 'x')).toBe('hidden');
    expect(safeSegment('Été ☀ 2026', 'x')).toBe('Été ☀ 2026');
    expect(safeSegment('a\u0000b\\c', 'x')).toBe('ab_c');
  });

  it('gives a file the extension its bytes say when its own is not one the library knows', () => {
    expect(safeFileName('IMG_1.JPG', 'jpg')).toBe('IMG_1.JPG');
    expect(safeFileName('blob', 'mp4')).toBe('blob.mp4');
    expect(safeFileName('photo.txt', 'png')).toBe('photo.txt.png');
  });

  it('files by album, else by the month taken', () => {
    expect(albumFolder('Holiday', undefined, new Date())).toBe('Holiday');
    expect(albumFolder(undefined, '2025-12-31T23:00:00Z', new Date())).toBe('2025-12');
    expect(albumFolder('  ', 'not a date', new Date('2026-03-04T00:00:00Z'))).toBe('2026-03');
  });

  it('numbers a name that is taken', () => {
    const taken = new Set(['a.jpg', 'a (2).jpg']);
    expect(uniqueName('a.jpg', (c) => taken.has(c))).toBe('a (3).jpg');
    expect(uniqueName('b.jpg', (c) => taken.has(c))).toBe('b.jpg');
  });
});

describe('parseContentRange', () => {
  it('reads bytes a-b/total and rejects the rest', () => {
    expect(parseContentRange('bytes 0-99/1000')).toEqual({
      start: 0,
      end: 99,
      total: 1000,
    });
    expect(parseContentRange('bytes 100-199/*')).toEqual({
      start: 100,
      end: 199,
      total: undefined,
    });
    expect(parseContentRange('bytes 5-1/10')).toBeUndefined();
    expect(parseContentRange('items 0-1/2')).toBeUndefined();
    expect(parseContentRange(undefined)).toBeUndefined();
  });
});
