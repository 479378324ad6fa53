import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeSubtitleBytes } from '../../../src/server/convert/subtitleText.js';

/** An SRT file of two cues of `line`, with CRLF line ends as Windows tools write them. */
const srt = (line: string) => `1\r\n00:00:01,000 --> 00:00:02,500\r\n${line}\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,500\r\n${line}\r\n`;
const lf = (s: string) => s.replace(/\r\n/g, '\n');

/** Real dialogue per encoding, as legacy rippers saved it. */
const LEGACY: ReadonlyArray<[string, string, string]> = [
  ['windows-1251', 'Cyrillic', 'Привет, как дела? Это субтитры к фильму.\r\nМы встретимся завтра утром у старого моста.'],
  ['koi8-r', 'Cyrillic (KOI8-R)', 'Привет, как дела? Это субтитры к фильму.\r\nМы встретимся завтра утром у старого моста.'],
  ['iso-8859-2', 'Polish and Czech', 'Dzień dobry, jak się masz? Żółć gęślą jaźń.\r\nPříliš žluťoučký kůň úpěl ďábelské ódy.'],
  ['windows-1250', 'Polish and Czech (Windows)', 'Dzień dobry, jak się masz? Żółć gęślą jaźń.\r\nPříliš žluťoučký kůň úpěl ďábelské ódy.'],
  ['big5', 'Traditional Chinese', '你好，今天天氣很好。\r\n我們明天早上在老橋見面。'],
  ['gb18030', 'Simplified Chinese', '你好，今天天气很好。\r\n我们明天早上在老桥见面。'],
  ['shift_jis', 'Japanese', 'こんにちは、元気ですか。\r\n明日の朝、古い橋で会いましょう。'],
  ['euc-kr', 'Korean', '안녕하세요, 오늘 날씨가 좋네요.\r\n내일 아침 오래된 다리에서 만나요.'],
  ['windows-1252', 'Western European', 'Café déjà vu – naïve façade, “quoted”, señor.\r\nÜber die Straße für 5 €.'],
];

describe('decodeSubtitleBytes', () => {
  for (const [encoding, language, line] of LEGACY) {
    it(`decodes ${language} subtitles saved as ${encoding}`, () => {
      const r = decodeSubtitleBytes(iconv.encode(srt(line), encoding));
      expect(r.text).toBe(lf(srt(line)));
      expect(r.encoding).toBe(encoding);
    });
  }

  it('reads UTF-8 with a BOM and normalises CRLF and lone CR', () => {
    const text = 'Café – “naïve” €5\r\nline\r';
    const r = decodeSubtitleBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(r).toEqual({ text: 'Café – “naïve” €5\nline\n', encoding: 'utf-8' });
  });

  it('reads UTF-8 without a BOM, whatever the script', () => {
    const line = 'Привет — 你好 — こんにちは';
    expect(decodeSubtitleBytes(Buffer.from(srt(line)))).toEqual({ text: lf(srt(line)), encoding: 'utf-8' });
  });

  it('reads UTF-16 in both byte orders by their BOM', () => {
    const line = 'Ünïcode: Привет';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(srt(line), 'utf16le')]);
    expect(decodeSubtitleBytes(le)).toEqual({ text: lf(srt(line)), encoding: 'utf-16le' });
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(srt(line), 'utf-16be')]);
    expect(decodeSubtitleBytes(be)).toEqual({ text: lf(srt(line)), encoding: 'utf-16be' });
  });

  it('trusts the bytes over a UTF-8 BOM an editor put on a Windows-1251 file', () => {
    const line = 'Мы встретимся завтра утром у старого моста, как договорились.';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode(srt(line), 'windows-1251')]);
    expect(decodeSubtitleBytes(bytes)).toEqual({ text: lf(srt(line)), encoding: 'windows-1251' });
  });

  it('drops byte-order marks left inside files that were concatenated', () => {
    const text = `${srt('one')}\uFEFF${srt('two')}`;
    expect(decodeSubtitleBytes(Buffer.from(text)).text).not.toContain('\uFEFF');
  });
});
