/** Language tokens in subtitle file names ("en", "eng", "English", "pt-BR") as ISO 639-2/B codes. */

// ISO 639-1 → 639-2/B, the form ffprobe reports for MKV tracks, so embedded and sidecar languages compare.
const LANG_2_TO_3: Record<string, string> = {
  en: 'eng',
  fr: 'fre',
  de: 'ger',
  es: 'spa',
  it: 'ita',
  pt: 'por',
  nl: 'dut',
  sv: 'swe',
  no: 'nor',
  nb: 'nob',
  da: 'dan',
  fi: 'fin',
  pl: 'pol',
  ru: 'rus',
  ja: 'jpn',
  zh: 'chi',
  ko: 'kor',
  ar: 'ara',
  he: 'heb',
  tr: 'tur',
  cs: 'cze',
  hu: 'hun',
  el: 'gre',
  ro: 'rum',
  uk: 'ukr',
  hi: 'hin',
  th: 'tha',
  vi: 'vie',
  id: 'ind',
  is: 'ice',
  hr: 'hrv',
  sr: 'srp',
  sk: 'slo',
  sl: 'slv',
  bg: 'bul',
  et: 'est',
  lv: 'lav',
  lt: 'lit',
  fa: 'per',
  ca: 'cat',
};
const LANG_NAMES: Record<string, string> = {
  english: 'eng',
  french: 'fre',
  german: 'ger',
  spanish: 'spa',
  italian: 'ita',
  portuguese: 'por',
  dutch: 'dut',
  swedish: 'swe',
  norwegian: 'nor',
  danish: 'dan',
  finnish: 'fin',
  polish: 'pol',
  russian: 'rus',
  japanese: 'jpn',
  chinese: 'chi',
  korean: 'kor',
  arabic: 'ara',
  hebrew: 'heb',
  turkish: 'tur',
  czech: 'cze',
  hungarian: 'hun',
  greek: 'gre',
};
const KNOWN_3 = new Set([...Object.values(LANG_2_TO_3), 'fra', 'deu', 'nld', 'zho', 'ces', 'ell', 'ron', 'isl', 'slk', 'fas', 'und']);

/** A language token from a file name, as a 639-2 code; undefined when the token is not a language. */
export function languageFromToken(token: string): string | undefined {
  const t = token.toLowerCase();
  if (LANG_2_TO_3[t]) return LANG_2_TO_3[t];
  if (LANG_NAMES[t]) return LANG_NAMES[t];
  if (KNOWN_3.has(t)) return t === 'und' ? undefined : t;
  // Region forms: "pt-BR", "en_US".
  const region = /^([a-z]{2})[-_][a-z]{2}$/.exec(t);
  if (region && LANG_2_TO_3[region[1]!]) return LANG_2_TO_3[region[1]!];
  return undefined;
}
