/** The `Content-Range` of a resumable upload's chunk (pure). */
export interface ContentRange {
  start: number;
  end?: number;
  total?: number;
}

/** `bytes a-b/total` (total may be `*`); undefined when malformed. */
export function parseContentRange(header: string | undefined): ContentRange | undefined {
  if (!header) return undefined;
  const m = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(header);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start) return undefined;
  return { start, end, total: m[3] === '*' ? undefined : Number(m[3]) };
}
