/**
 * Subtitle files beside a video (`Name.en.forced.srt`): which video they belong to, and their language,
 * forced, default and hearing-impaired flags from the name's tokens.
 */
import path from 'node:path';
import { extensionOf, fileKind, isHiddenName, SUBTITLE_CODEC_BY_EXT } from './fileKinds.js';
import { languageFromToken } from './languages.js';

export interface SidecarSubtitle {
  /** Bare file name: what the wire shows as the stream's Path. */
  fileName: string;
  /** Absolute path: server-side only (stored in the item's extra data, never sent). */
  path: string;
  codec: string;
  language?: string;
  title?: string;
  isForced: boolean;
  isDefault: boolean;
  isHearingImpaired: boolean;
}

/**
 * Subtitles beside a video: `Name.srt`, `Name.en.srt`, `Name.eng.forced.srt`, `Name.English.SDH.vtt`.
 * When two videos share a prefix ("Movie" and "Movie.Extended"), a subtitle goes to the longest name it
 * extends. `siblings` are the file names in the video's folder.
 */
export function findSidecarSubtitles(videoFile: string, siblings: readonly string[]): SidecarSubtitle[] {
  const dir = path.dirname(videoFile);
  const base = path.parse(videoFile).name.toLowerCase();
  const videoBases = siblings.filter((n) => fileKind(n) === 'video').map((n) => path.parse(n).name.toLowerCase());
  const out: SidecarSubtitle[] = [];
  for (const name of [...siblings].sort()) {
    if (isHiddenName(name)) continue;
    const ext = extensionOf(name);
    const codec = SUBTITLE_CODEC_BY_EXT[ext];
    if (!codec) continue;
    const stem = name.slice(0, name.length - ext.length - 1);
    const lower = stem.toLowerCase();
    if (lower !== base && !lower.startsWith(base + '.')) continue;
    const better = videoBases.some((b) => b.length > base.length && (lower === b || lower.startsWith(b + '.')));
    if (better) continue;
    const tokens = stem.slice(base.length).split('.').filter(Boolean);
    const sub: SidecarSubtitle = {
      fileName: name,
      path: path.join(dir, name),
      codec,
      isForced: false,
      isDefault: false,
      isHearingImpaired: false,
    };
    const titleParts: string[] = [];
    for (const token of tokens) {
      const t = token.toLowerCase();
      if (t === 'forced' || t === 'foreign') sub.isForced = true;
      else if (t === 'default') sub.isDefault = true;
      else if (t === 'sdh' || t === 'cc' || t === 'hi') sub.isHearingImpaired = true;
      else if (!sub.language && languageFromToken(token)) sub.language = languageFromToken(token);
      else titleParts.push(token);
    }
    if (sub.isHearingImpaired) titleParts.push('SDH');
    if (titleParts.length) sub.title = titleParts.join(' ');
    out.push(sub);
  }
  return out;
}
