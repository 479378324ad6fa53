import { describe, expect, it } from 'vitest';
import { decodeSubtitleBytes, decodeWindows1252 } from '../../../src/server/convert/subtitleText.js';

const text = 'Café – “naïve” €5\r\nline\r';

describe('decodeSubtitleBytes', () => {
  it('reads UTF-8 with a BOM and normalises CRLF and lone CR', () => {
    const r = decodeSubtitleBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(r).toEqual({ text: 'Café – “naïve” €5\nline\n', encoding: 'utf-8' });
  });

  it('falls back to Windows-1252 for bytes that are not UTF-8, mapping 0x80–0x9F (€, dashes, quotes)', () => {
    const bytes = Uint8Array.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x93, 0x6e, 0x61, 0xef, 0x76, 0x65, 0x94, 0x20, 0x80, 0x35]);
    expect(decodeSubtitleBytes(bytes)).toEqual({ text: 'Café – “naïve” €5', encoding: 'windows-1252' });
  });

  it('reads UTF-16 with a BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Ünïcode\r\n', 'utf16le')]);
    expect(decodeSubtitleBytes(le).text).toBe('Ünïcode\n');
  });

  it('keeps the five unassigned Windows-1252 bytes as their C1 code points', () => {
    expect(decodeWindows1252(Uint8Array.from([0x81, 0x8d, 0x41]))).toBe('\u0081\u008dA');
  });
});
