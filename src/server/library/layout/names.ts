/** Titles from file and folder names: release-name clean-up, "Name (Year)", sort keys, tag lists. */

/** Release names use dots or underscores for spaces ("Big.Buck.Test.2008.1080p"); people use spaces. */
export function cleanName(raw: string): string {
  let s = raw.trim();
  if (!s.includes(' ') && /[._]/.test(s)) s = s.replace(/[._]+/g, ' ');
  return s.replace(/\s+/g, ' ').trim();
}

/** "Name (2010)", "Name [2010]", "Name.2010.1080p.BluRay" → { name, year }. */
export function splitNameAndYear(raw: string): { name: string; year?: number } {
  const bracket = /^(.*?)\s*[([]((?:18|19|20)\d\d)[)\]](.*)$/.exec(raw);
  if (bracket && bracket[1]!.trim()) return { name: cleanName(bracket[1]!).replace(/[\s-]+$/, ''), year: Number(bracket[2]) };
  const cleaned = cleanName(raw);
  // A bare year counts only when release junk follows it or it ends the name: "Blade Runner 2049" keeps 2049.
  const release =
    /^(.+?)\s+((?:18|19|20)\d\d)(?:\s+(?:\d{3,4}p|bluray|blu-ray|brrip|bdrip|web-?dl|webrip|hdtv|dvdrip|x264|x265|h264|hevc|remux|proper|repack|uhd|4k)\b.*)$/i.exec(
      cleaned,
    );
  if (release) return { name: release[1]!.trim(), year: Number(release[2]) };
  return { name: cleaned };
}

const ARTICLES = /^(the|a|an)\s+/i;

/** Sort key: articles dropped, case folded, numbers padded so "Episode 10" sorts after "Episode 9". */
export function sortNameOf(name: string): string {
  const base = name.trim().replace(ARTICLES, '') || name.trim();
  return base.toLowerCase().replace(/\d+/g, (d) => d.padStart(6, '0'));
}

export function splitList(value: string | undefined, separators = /\s*[;|/]\s*/): string[] {
  if (!value) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of value.split(separators)) {
    const v = part.trim();
    if (v && !seen.has(v.toLowerCase())) {
      seen.add(v.toLowerCase());
      out.push(v);
    }
  }
  return out;
}
