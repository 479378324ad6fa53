/** Reading `ffmpeg -version`, `-encoders` and `-filters` (pure, unit-tested against real output). */

/** "ffmpeg version 5.1.9-0+deb12u1 Copyright …" → "5.1.9-0+deb12u1". */
export function parseVersion(versionOutput: string): string | undefined {
  const m = /^\S+ version (\S+)/m.exec(versionOutput);
  return m?.[1];
}

/**
 * Names from `-encoders`, `-decoders` or `-filters`: each row after the legend is "<flags> <name> …".
 * The legend's own rows ("V..... = Video", " T.. = Timeline support") end at the "------" rule for
 * codecs; filter lists have no rule, so a row counts when its flags column is flags and its third column
 * is not "=".
 */
export function parseNameList(output: string): string[] {
  const lines = output.split('\n');
  const rule = lines.findIndex((l) => /^\s*-{3,}\s*$/.test(l));
  const names: string[] = [];
  for (const line of rule >= 0 ? lines.slice(rule + 1) : lines) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 2 || cols[1] === '=' || cols[2] === '=') continue;
    if (!/^[A-Z.|]{3,}$/.test(cols[0]!)) continue;
    names.push(cols[1]!);
  }
  return names;
}
