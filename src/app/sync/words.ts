/** Counts in words with the right grammar ("1 item", "4 items", "4 items are being prepared"). */

const PLURALS: Record<string, string> = { is: 'are', was: 'were', has: 'have' };

/** "1 item", "4 items" (`plural` for words that do not just take an s). */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** The verb that agrees with a count: isAre(1) = "is", isAre(4) = "are". */
export function verbFor(n: number, singularVerb: keyof typeof PLURALS): string {
  return n === 1 ? singularVerb : PLURALS[singularVerb]!;
}
