import { createHash, randomBytes } from 'node:crypto';

/** A fresh 32-hex id, the wire format of Emby GUIDs without dashes. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * A stable id derived from a key (a file path, "Genre:Comedy"): rescans keep the ids clients
 * already hold, which matters because synced items are matched by id on the device.
 */
export function stableId(key: string): string {
  return createHash('md5').update(key).digest('hex');
}

const DASHED = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** Accepts dashed and upper-case GUIDs as Emby clients send them; undefined if not a GUID. */
export function normalizeId(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  const s = raw.trim();
  if (!DASHED.test(s)) return undefined;
  return s.replace(/-/g, '').toLowerCase();
}
