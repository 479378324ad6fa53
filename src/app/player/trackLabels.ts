/**
 * Words for audio and subtitle tracks — one function for every place that names a track (the online
 * player, the offline player, media info), so the same track is "English" everywhere and never "ENG" in
 * one place and "English" in another. Language codes (ISO 639-1 "en", 639-2 "eng"/"fre", BCP 47
 * "pt-BR") become names through `Intl.DisplayNames`; a code it does not know is shown as it is.
 */

export interface TrackFacts {
  Index: number;
  Language?: string;
  Title?: string;
  Codec?: string;
  Channels?: number;
  IsForced?: boolean;
  IsExternal?: boolean;
}

/** The app's words are English, so language names are too ("French", not "français"). */
const UI_LOCALE = 'en';
let names: Intl.DisplayNames | undefined;

/** "eng" → "English", "pt-BR" → "Brazilian Portuguese"; undefined for none, "und" and the like. */
export function languageName(code: string | undefined): string | undefined {
  const c = code?.trim();
  if (!c || /^(und|mis|zxx|unk|unknown)$/i.test(c)) return undefined;
  try {
    names ??= new Intl.DisplayNames([UI_LOCALE], { type: 'language', fallback: 'none' });
    return names.of(c) ?? c.toUpperCase();
  } catch {
    // Not a well-formed language tag (e.g. "english"): show what the file says.
    return c.length <= 3 ? c.toUpperCase() : c;
  }
}

/** The language name with the track's own title when that adds something ("English – Commentary"). */
function withTitle(name: string | undefined, title: string | undefined): string | undefined {
  const t = title?.trim();
  if (!name) return t || undefined;
  if (!t) return name;
  // "English SDH" already names the language; "eng" or "English" says nothing more.
  if (t.toLowerCase().includes(name.toLowerCase())) return t;
  if (languageName(t) === name) return name;
  return `${name} – ${t}`;
}

/** "English", "English (forced)", "French – Commentary", "Subtitles 2". */
export function subtitleLabel(s: TrackFacts, position?: number): string {
  const base = withTitle(languageName(s.Language), s.Title) ?? `Subtitles ${position ?? s.Index}`;
  return s.IsForced ? `${base} (forced)` : base;
}

function channelWords(n: number | undefined): string | undefined {
  if (!n) return undefined;
  return n === 1 ? 'mono' : n === 2 ? 'stereo' : n === 6 ? '5.1' : n === 8 ? '7.1' : `${n} ch`;
}

/** "English · AC3 · 5.1", "Track 2". */
export function audioLabel(s: TrackFacts): string {
  return (
    [withTitle(languageName(s.Language), s.Title), s.Codec?.toUpperCase(), channelWords(s.Channels)].filter(Boolean).join(' · ') ||
    `Track ${s.Index}`
  );
}

/** Same labels get `fix`ed (with their occurrence number), others stay. */
function disambiguate(labels: readonly string[], fix: (label: string, i: number, n: number) => string): string[] {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const seen = new Map<string, number>();
  return labels.map((l, i) => {
    if (counts.get(l)! < 2) return l;
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return fix(l, i, n);
  });
}

/**
 * Labels for a list of tracks, in order: two that would read the same ("English", "English") are told
 * apart by where they come from, then by number, so a person can choose between them.
 */
export function labelTracks<T extends TrackFacts>(tracks: readonly T[], label: (t: T, position: number) => string): string[] {
  const first = tracks.map((t, i) => label(t, i + 1));
  const bySource = disambiguate(first, (l, i) => {
    const external = tracks[i]!.IsExternal;
    return external === undefined ? l : `${l} (${external ? 'external' : 'embedded'})`;
  });
  return disambiguate(bySource, (l, _i, n) => `${l} ${n}`);
}
