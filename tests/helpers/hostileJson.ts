/**
 * Seeded generators of hostile JSON for the fuzz tests: deep and wide trees, wrong types in the right
 * places, oversized values. Deterministic per seed, so a failure reproduces from its seed alone.
 */

export type Rng = () => number;

/** A small linear congruential generator: fast, seeded, good enough to spread test cases. */
export function rng(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function pick<T>(r: Rng, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)];
}

export function int(r: Rng, min: number, max: number): number {
  return min + Math.floor(r() * (max - min + 1));
}

/**
 * `{"a":{"a":…}}` or `[[…]]` this deep, kept as a marker and written out by `toJson`: past a few thousand
 * levels V8's own JSON.stringify (and any recursive walk) overflows the stack — in the server, and here.
 */
export class Deep {
  constructor(
    readonly kind: 'object' | 'array',
    readonly depth: number,
  ) {}
}

export const deepObject = (depth: number) => new Deep('object', depth);
export const deepArray = (depth: number) => new Deep('array', depth);

/** JSON text of a value that may hold `Deep` markers and own `__proto__` keys. */
export function toJson(value: unknown): string {
  if (value instanceof Deep) {
    return value.kind === 'object'
      ? '{"a":'.repeat(value.depth) + '1' + '}'.repeat(value.depth)
      : '['.repeat(value.depth) + ']'.repeat(value.depth);
  }
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .map((k) => `${JSON.stringify(k)}:${toJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Sets an own property, even one named `__proto__` (plain assignment would change the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const SCALARS: unknown[] = [
  '',
  ' ',
  'mp4',
  'h264,aac',
  '../../../../etc/passwd',
  '/etc/passwd',
  'mp4\u0000.sh',
  'a\u0000b',
  'C:\\Windows\\win.ini',
  '%00',
  "' OR 1=1 --",
  '𝔘ñîçødé ☃ 🎬',
  ',,,',
  '|||',
  'NaN',
  '-5',
  '1e999',
  '4000000',
  'true',
  'Static',
  'Video',
  'EqualsAny',
  -1,
  0,
  1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  true,
  false,
  null,
];

/** A hostile value of any kind; `budget` keeps the largest ones (deep, huge) rare and the body under 1 MiB. */
export function hostileValue(r: Rng, budget = 1): unknown {
  const roll = r();
  if (roll < 0.55) return pick(r, SCALARS);
  if (roll < 0.62) return 'x'.repeat(int(r, 300, 20_000));
  if (roll < 0.67) return Array.from({ length: int(r, 1000, 100_000) }, (_, i) => String(i)).join('|');
  if (roll < 0.72) return Array.from({ length: int(r, 1000, 100_000) }, (_, i) => `c${i}`).join(',');
  if (roll < 0.77) return [];
  if (roll < 0.81) return {};
  if (roll < 0.85) return [pick(r, SCALARS), pick(r, SCALARS)];
  if (roll < 0.88 && budget > 0) return deepObject(int(r, 50, 20_000));
  if (roll < 0.9 && budget > 0) return deepArray(int(r, 50, 20_000));
  if (roll < 0.94 && budget > 0) return Array.from({ length: int(r, 100, 20_000) }, () => pick(r, SCALARS));
  return randomTree(r, int(r, 1, 6), int(r, 1, 8), PROFILE_KEYS);
}

/** Names a DeviceProfile uses, so random trees hit the paths the server reads. */
export const PROFILE_KEYS: readonly string[] = [
  'Container',
  'Type',
  'VideoCodec',
  'AudioCodec',
  'Context',
  'Protocol',
  'Conditions',
  'ApplyConditions',
  'Condition',
  'Property',
  'Value',
  'IsRequired',
  'Codec',
  'Format',
  'Method',
  'MaxAudioChannels',
  'DirectPlayProfiles',
  'TranscodingProfiles',
  'CodecProfiles',
  'ContainerProfiles',
  'SubtitleProfiles',
  'MaxStaticBitrate',
  '__proto__',
  'constructor',
];

/** A random JSON tree `depth` deep and up to `width` wide, keys drawn from `keys` and noise. */
export function randomTree(r: Rng, depth: number, width: number, keys: readonly string[]): unknown {
  if (depth <= 0) return pick(r, SCALARS);
  const roll = r();
  if (roll < 0.2) return pick(r, SCALARS);
  if (roll < 0.5) return Array.from({ length: int(r, 0, width) }, () => randomTree(r, depth - 1, width, keys));
  const out: Record<string, unknown> = {};
  for (let i = int(r, 0, width); i > 0; i--) {
    const key = r() < 0.7 ? pick(r, keys) : `k${int(r, 0, 99)}`;
    setOwn(out, r() < 0.1 ? key.toLowerCase() : key, randomTree(r, depth - 1, width, keys));
  }
  return out;
}

/** Every path to a value inside `root` (objects and arrays), root excluded. */
export function paths(root: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  if (root && typeof root === 'object' && !(root instanceof Deep)) {
    const entries = Array.isArray(root) ? root.map((v, i) => [i, v] as const) : Object.entries(root);
    for (const [k, v] of entries) {
      const p = [...prefix, k];
      out.push(p);
      if (out.length < 2000) paths(v, p, out);
    }
  }
  return out;
}

function parentOf(root: any, p: Array<string | number>): any {
  let node = root;
  for (const k of p.slice(0, -1)) node = node?.[k];
  return node;
}

/**
 * One to five mutations of a copy of `base` at random paths: a value replaced by a hostile one, a key
 * removed, a value wrapped in an array, a key in another case, an unknown key holding a deep tree.
 */
export function mutate(r: Rng, base: unknown): unknown {
  const copy = structuredClone(base) as any;
  if (!copy || typeof copy !== 'object') return r() < 0.5 ? copy : hostileValue(r);
  const n = int(r, 1, 5);
  for (let i = 0; i < n; i++) {
    // The root is a target too: an empty object gains a key, and no object is too small to mutate.
    const all: Array<Array<string | number>> = [[], ...paths(copy)];
    const p = pick(r, all);
    if (p.length === 0) {
      if (Array.isArray(copy)) copy.push(hostileValue(r, i === 0 ? 1 : 0));
      else setOwn(copy, `Unknown${int(r, 0, 9)}`, hostileValue(r, i === 0 ? 1 : 0));
      continue;
    }
    const parent = parentOf(copy, p);
    if (!parent || typeof parent !== 'object') continue;
    const key = p[p.length - 1];
    const op = r();
    if (op < 0.55) parent[key] = hostileValue(r, i === 0 ? 1 : 0);
    else if (op < 0.7 && !Array.isArray(parent)) delete parent[key];
    else if (op < 0.8) parent[key] = [parent[key]];
    else if (op < 0.88 && !Array.isArray(parent) && typeof key === 'string') {
      const v = parent[key];
      delete parent[key];
      setOwn(parent, key.toLowerCase(), v);
    } else if (!Array.isArray(parent)) setOwn(parent, `Unknown${int(r, 0, 9)}`, hostileValue(r));
    else parent.push(hostileValue(r, 0));
  }
  return copy;
}

/** Every object in `value` gains an unknown key holding a tree `depth` deep: nesting wherever it may hide. */
export function deepen(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) return value.map((v) => deepen(v, depth));
  if (!value || typeof value !== 'object' || value instanceof Deep) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) setOwn(out, k, deepen(v, depth));
  setOwn(out, 'Nested', deepObject(depth));
  return out;
}
