/**
 * Sidecar subtitles come in whatever encoding the ripper's Windows used. The npm ffmpeg 4.1 crashes on a
 * non-UTF-8 `-sub_charenc`, so we decode in Node and always hand ffmpeg UTF-8 with LF line ends.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Windows-1252 bytes 0x80–0x9F (€, curly quotes, dashes…); 0 marks the five unassigned ones, kept as the
 * C1 code point. Decoded by hand because Node 20's TextDecoder('windows-1252') decodes as ISO-8859-1
 * (measured: 0x96 came out as U+0096, not the en dash), which silently drops those characters.
 */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0, 0, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const codes = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] || b : b));
    out += String.fromCharCode(...codes);
  }
  return out;
}

/**
 * BOM → that encoding; else strict UTF-8; else Windows-1252 (a superset of Latin-1 for the Western
 * European files that make up nearly all legacy sidecars, and it never fails: every byte maps).
 */
export function decodeSubtitleBytes(bytes: Uint8Array): { text: string; encoding: string } {
  let text: string;
  let encoding: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    try {
      text = utf8.decode(bytes.subarray(3));
      encoding = 'utf-8';
    } catch {
      text = decodeWindows1252(bytes.subarray(3));
      encoding = 'windows-1252';
    }
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
    encoding = 'utf-16le';
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
    encoding = 'utf-16be';
  } else {
    try {
      text = utf8.decode(bytes);
      encoding = 'utf-8';
    } catch {
      text = decodeWindows1252(bytes);
      encoding = 'windows-1252';
    }
  }
  // A BOM inside (files concatenated by hand) and CR line ends confuse the SRT demuxer.
  text = text.replace(/\uFEFF/g, '').replace(/\r\n?/g, '\n');
  return { text, encoding };
}
