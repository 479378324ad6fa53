/**
 * What happens to each subtitle stream of a source (API.md §5.8): text the profile takes as External
 * becomes a sidecar; image subtitles can't be sidecars; one stream may be burned into a transcode.
 */
import type { MediaStream } from '../api/items.js';
import { canonicalCodec, canonicalContainer, isImageSubtitleCodec, isTextSubtitleCodec, SIDECAR_TEXT_FORMATS } from './codecs.js';
import type { SubtitleProfile } from './types.js';

export type SubtitleActionKind =
  /** A sidecar file converted to `format` (text only). */
  | 'extract'
  /** Kept inside the media file (direct) or muxed into the output as `format`. */
  | 'embed'
  /** Rendered into the video of a transcode. */
  | 'burn'
  /** An image subtitle (PGS, VobSub): no sidecar possible, and not carried by the output. */
  | 'skip-image'
  /** Not wanted by the profile, or dropped because another stream is burned in. */
  | 'skip';

export interface SubtitleAction {
  /** Stream index in the source (external streams have indexes after the embedded ones). */
  index: number;
  /** A sidecar file next to the source rather than a stream inside it. */
  external: boolean;
  /** The sidecar's bare file name, for external streams. */
  path?: string;
  codec: string;
  language?: string;
  forced: boolean;
  action: SubtitleActionKind;
  /** Output format: 'vtt' | 'srt' | 'ass' for extract, 'mov_text' | 'srt' | 'vtt' … for embed. */
  format?: string;
}

/** How the output carries subtitles: the direct source file, or a new container we write. */
export type SubtitleTarget = { kind: 'direct' } | { kind: 'mux'; container: string; transcoding: boolean };

function languageMatches(profile: SubtitleProfile, language: string | undefined): boolean {
  if (!profile.Language) return true;
  const allowed = profile.Language.split(',').map((l) => l.trim().toLowerCase());
  return language !== undefined && allowed.includes(language.toLowerCase());
}

function profilesFor(profiles: readonly SubtitleProfile[] | undefined, method: string, stream: MediaStream): SubtitleProfile[] {
  return (profiles ?? []).filter((p) => p.Method?.toLowerCase() === method.toLowerCase() && languageMatches(p, stream.Language));
}

function isText(stream: MediaStream): boolean {
  if (stream.IsTextSubtitleStream !== undefined) return stream.IsTextSubtitleStream;
  return isTextSubtitleCodec(stream.Codec);
}

function isImage(stream: MediaStream): boolean {
  if (stream.IsTextSubtitleStream === false) return true;
  return isImageSubtitleCodec(stream.Codec);
}

/** The sidecar format for a text stream: its own format if the profile lists it, else the first we can write. */
function externalFormat(profiles: readonly SubtitleProfile[] | undefined, stream: MediaStream): string | undefined {
  const formats = profilesFor(profiles, 'External', stream).map((p) => canonicalCodec(p.Format));
  const own = canonicalCodec(stream.Codec ?? '');
  if (formats.includes(own) && SIDECAR_TEXT_FORMATS.includes(own)) return own;
  return formats.find((f) => SIDECAR_TEXT_FORMATS.includes(f));
}

/** The text codec a container can hold, or undefined (MP4 only takes mov_text; WebM only WebVTT). */
function embeddedTextFormat(container: string, own: string): string | undefined {
  switch (canonicalContainer(container)) {
    case 'mp4':
    case 'mov':
    case 'm4v':
      return 'mov_text';
    case 'webm':
      return 'vtt';
    case 'mkv':
      return SIDECAR_TEXT_FORMATS.includes(own) ? own : 'srt';
    default:
      return undefined;
  }
}

function profileEmbeds(profiles: readonly SubtitleProfile[] | undefined, stream: MediaStream): boolean {
  const own = canonicalCodec(stream.Codec ?? '');
  return profilesFor(profiles, 'Embed', stream).some((p) => !p.Format || canonicalCodec(p.Format) === own || isText(stream));
}

function profileBurns(profiles: readonly SubtitleProfile[] | undefined, stream: MediaStream): boolean {
  const own = canonicalCodec(stream.Codec ?? '');
  return profilesFor(profiles, 'Encode', stream).some((p) => !p.Format || canonicalCodec(p.Format) === own);
}

/**
 * The stream the user wants to see, when they named a subtitle language: its first stream, a forced one
 * preferred only when there is no full one (a forced track alone would hide most of the dialogue).
 */
export function selectSubtitleStream(streams: readonly MediaStream[], language: string | undefined): MediaStream | undefined {
  if (!language) return undefined;
  const lang = language.toLowerCase();
  const matching = streams.filter((s) => s.Type === 'Subtitle' && s.Language?.toLowerCase() === lang);
  return matching.find((s) => !s.IsForced) ?? matching[0];
}

/**
 * Actions for every subtitle stream. Burning happens only in a transcode, only for the stream the user
 * chose, and only when it can't travel as a sidecar — we never start a transcode just to burn.
 */
export function planSubtitles(
  streams: readonly MediaStream[],
  profiles: readonly SubtitleProfile[] | undefined,
  target: SubtitleTarget,
  subtitleLanguage?: string,
): SubtitleAction[] {
  const subtitles = streams.filter((s) => s.Type === 'Subtitle');
  const chosen = selectSubtitleStream(subtitles, subtitleLanguage);
  const burned =
    target.kind === 'mux' &&
    target.transcoding &&
    chosen !== undefined &&
    !chosen.IsExternal &&
    (isImage(chosen) || externalFormat(profiles, chosen) === undefined) &&
    profileBurns(profiles, chosen)
      ? chosen
      : undefined;

  return subtitles.map((s) => {
    const base: SubtitleAction = {
      index: s.Index,
      external: s.IsExternal,
      codec: canonicalCodec(s.Codec ?? 'unknown'),
      forced: s.IsForced,
      action: 'skip',
    };
    if (s.Language) base.language = s.Language;
    if (s.IsExternal && s.Path) base.path = s.Path;

    if (burned) return { ...base, action: s === burned ? 'burn' : 'skip' };

    if (isText(s)) {
      const format = externalFormat(profiles, s);
      if (format) return { ...base, action: 'extract', format };
      if (!s.IsExternal && profileEmbeds(profiles, s)) {
        if (target.kind === 'direct') return { ...base, action: 'embed' };
        const embedded = embeddedTextFormat(target.container, base.codec);
        if (embedded) return { ...base, action: 'embed', format: embedded };
      }
      return base;
    }
    if (isImage(s) && target.kind === 'direct' && !s.IsExternal && profileEmbeds(profiles, s)) {
      return { ...base, action: 'embed' };
    }
    if (
      isImage(s) &&
      target.kind === 'mux' &&
      canonicalContainer(target.container) === 'mkv' &&
      !s.IsExternal &&
      profileEmbeds(profiles, s)
    ) {
      return { ...base, action: 'embed', format: base.codec };
    }
    return { ...base, action: isImage(s) ? 'skip-image' : 'skip' };
  });
}
