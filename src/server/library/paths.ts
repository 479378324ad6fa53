import path from 'node:path';

/**
 * True when `p` lies strictly inside `root` (a descendant, not `root` itself). One definition for the
 * scanner's layout rules and the writer's "keep what an unreadable folder holds".
 */
export function isUnder(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  // "..foo" is a name inside root; only ".." as a whole segment leaves it.
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
