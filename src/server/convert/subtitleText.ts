/**
 * Sidecar subtitles come in whatever encoding the ripper's system used: Windows-1252 in Western Europe,
 * Windows-1251 for Cyrillic, ISO-8859-2 / Windows-1250 in Central Europe, Big5, GB18030, Shift_JIS,
 * EUC-KR… We decode in Node and always hand ffmpeg UTF-8 with LF line ends (the npm ffmpeg 4.1 crashed on
 * a non-UTF-8 `-sub_charenc`, and the output WebVTT is UTF-8 by definition).
 *
 * Order: a byte-order mark decides; else text that is valid UTF-8 is UTF-8 (a legacy file almost never
 * is, by accident); else chardet's statistical guess, decoded by iconv-lite; else Windows-1252, which maps
 * every byte.
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * chardet names the ISO standard where files in the wild use Microsoft's superset: a 0x80–0x9F byte in
 * "ISO-8859-1" text is a curly quote or dash from Windows-1252, not a C1 control.
 */
const SUPERSET: Record<string, string> = {
  'iso-8859-1': 'windows-1252',
  'iso-8859-9': 'windows-1254',
};

const BOMS: ReadonlyArray<readonly [number[], string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe, 0x00, 0x00], 'utf-32le'],
  [[0x00, 0x00, 0xfe, 0xff], 'utf-32be'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

function bomOf(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  for (const [mark, encoding] of BOMS) {
    if (mark.every((b, i) => bytes[i] === b)) return { encoding, length: mark.length };
  }
  return undefined;
}

/** chardet's best guess that iconv-lite can decode, with the supersets above applied. */
export function detectLegacyEncoding(bytes: Uint8Array): string {
  for (const match of chardet.analyse(bytes)) {
    const name = SUPERSET[match.name.toLowerCase()] ?? match.name;
    if (/^utf-?(16|32)/i.test(name)) continue; // without a BOM these guesses are wrong for subtitle text
    if (iconv.encodingExists(name)) return name.toLowerCase();
  }
  return 'windows-1252';
}

export function decodeSubtitleBytes(bytes: Uint8Array): { text: string; encoding: string } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text: string;
  let encoding: string;
  const bom = bomOf(bytes);
  if (bom && bom.encoding !== 'utf-8') {
    encoding = bom.encoding;
    text = iconv.decode(buf.subarray(bom.length), encoding);
  } else {
    const body = bom ? buf.subarray(bom.length) : buf;
    try {
      text = utf8.decode(body);
      encoding = 'utf-8';
    } catch {
      // A UTF-8 BOM on a file that is not UTF-8 (an editor added it blindly): trust the bytes.
      encoding = detectLegacyEncoding(body);
      text = iconv.decode(body, encoding);
    }
  }
  // A BOM inside (files concatenated by hand) and CR line ends confuse the SRT demuxer.
  text = text.replace(/\uFEFF/g, '').replace(/\r\n?/g, '\n');
  return { text, encoding };
}
