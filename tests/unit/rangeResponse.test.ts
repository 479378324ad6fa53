import { describe, expect, it } from 'vitest';
import { contentDisposition, contentTypeFor, decideRangeResponse, parseRange, strongEtag } from '../../src/server/http/rangeResponse.js';

describe('parseRange', () => {
  it('reads a-b, a- and -n, clamping the end to the size', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ kind: 'range', start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ kind: 'range', start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'range', start: 900, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'range', start: 0, end: 999 });
    expect(parseRange('bytes=500-5000', 1000)).toEqual({ kind: 'range', start: 500, end: 999 });
    expect(parseRange('BYTES = 1-1', 10)).toEqual({ kind: 'range', start: 1, end: 1 });
  });

  it('calls a start at or past the end, or an empty suffix, unsatisfiable', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores malformed headers and reports several ranges', () => {
    expect(parseRange(undefined, 10)).toEqual({ kind: 'none' });
    expect(parseRange('items=0-1', 10)).toEqual({ kind: 'none' });
    expect(parseRange('bytes=5-2', 10)).toEqual({ kind: 'none' });
    expect(parseRange('bytes=-', 10)).toEqual({ kind: 'none' });
    expect(parseRange('bytes=a-b', 10)).toEqual({ kind: 'none' });
    expect(parseRange('bytes=0-1,5-6', 10)).toEqual({ kind: 'multiple' });
  });
});

describe('decideRangeResponse', () => {
  const file = { size: 1000, etag: strongEtag('id', 1000, 1), contentType: 'video/mp4', lastModified: new Date('2024-01-01T00:00:00Z') };

  it('answers 206 with Content-Range and the span length', () => {
    const d = decideRangeResponse({ method: 'GET', range: 'bytes=10-19' }, file);
    expect(d).toMatchObject({ status: 206, start: 10, end: 19, body: true });
    expect(d.headers).toMatchObject({
      'content-range': 'bytes 10-19/1000',
      'content-length': '10',
      'accept-ranges': 'bytes',
      etag: file.etag,
    });
  });

  it('answers 416 naming the size', () => {
    const d = decideRangeResponse({ method: 'GET', range: 'bytes=2000-' }, file);
    expect(d.status).toBe(416);
    expect(d.headers['content-range']).toBe('bytes */1000');
  });

  it('sends the whole file for several ranges or a stale If-Range', () => {
    expect(decideRangeResponse({ method: 'GET', range: 'bytes=0-1,3-4' }, file)).toMatchObject({ status: 200, start: 0, end: 999 });
    expect(decideRangeResponse({ method: 'GET', range: 'bytes=0-1', ifRange: '"other"' }, file).status).toBe(200);
    expect(decideRangeResponse({ method: 'GET', range: 'bytes=0-1', ifRange: file.etag }, file).status).toBe(206);
    expect(decideRangeResponse({ method: 'GET', range: 'bytes=0-1', ifRange: file.lastModified.toUTCString() }, file).status).toBe(206);
    expect(decideRangeResponse({ method: 'GET', range: 'bytes=0-1', ifRange: 'Tue, 02 Jan 2024 00:00:00 GMT' }, file).status).toBe(200);
  });

  it('answers 304 to a matching If-None-Match (weak or listed) and HEAD without a body', () => {
    expect(decideRangeResponse({ method: 'GET', ifNoneMatch: file.etag }, file).status).toBe(304);
    expect(decideRangeResponse({ method: 'GET', ifNoneMatch: `"x", W/${file.etag}` }, file).status).toBe(304);
    expect(decideRangeResponse({ method: 'GET', ifNoneMatch: '"x"' }, file).status).toBe(200);
    expect(decideRangeResponse({ method: 'HEAD' }, file)).toMatchObject({ status: 200, body: false });
  });
});

describe('helpers', () => {
  it('makes strong, stable ETags that change with the inputs', () => {
    expect(strongEtag('a', 1, 2)).toMatch(/^"[0-9a-f]{32}"$/);
    expect(strongEtag('a', 1, 2)).toBe(strongEtag('a', 1, 2));
    expect(strongEtag('a', 1, 3)).not.toBe(strongEtag('a', 1, 2));
  });

  it('maps containers to content types', () => {
    expect(contentTypeFor('mkv', 'Video')).toBe('video/x-matroska');
    expect(contentTypeFor('mp4', 'Video')).toBe('video/mp4');
    expect(contentTypeFor('.MP3', 'Audio')).toBe('audio/mpeg');
    expect(contentTypeFor('ogg', 'Video')).toBe('video/ogg');
    expect(contentTypeFor('m4a', 'Audio')).toBe('audio/mp4');
    expect(contentTypeFor('xyz', 'Video')).toBe('video/mp4');
    expect(contentTypeFor(undefined)).toBe('application/octet-stream');
  });

  it('writes Content-Disposition that survives any file name', () => {
    expect(contentDisposition('Amélie "x".mkv')).toBe(`attachment; filename="Am_lie _x_.mkv"; filename*=UTF-8''Am%C3%A9lie%20%22x%22.mkv`);
  });
});
