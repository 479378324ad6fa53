/** In-memory item rows and users for spec tests of the library services (say only what a test is about). */
import { DEFAULT_POLICY, type UserPolicy } from '../../../src/shared/api/users.js';
import type { UserRecord } from '../../../src/server/auth/usersRepo.js';
import type { ItemRow } from '../../../src/server/library/itemsRepo.js';
import { canUserSeeItem } from '../../../src/server/library/itemVisibility.js';
import { DomainError } from '../../../src/server/errors.js';

let n = 0;
const hexId = () => (++n).toString(16).padStart(32, '0');

export function anItemRow(p: Partial<ItemRow> & { name: string }): ItemRow {
  return {
    id: hexId(),
    type: 'Movie',
    sort_name: p.name.toLowerCase(),
    parent_id: null,
    top_parent_id: null,
    owner_user_id: null,
    path: `/media/${p.name}.mp4`,
    is_folder: 0,
    media_type: 'Video',
    collection_type: null,
    container: 'mp4',
    size: 1000,
    mtime_ms: 1,
    run_time_ticks: 100 * 60 * 10_000_000,
    bitrate: null,
    date_created: '2026-01-01T00:00:00.000Z',
    date_modified: '2026-01-01T00:00:00.000Z',
    premiere_date: null,
    production_year: null,
    index_number: null,
    parent_index_number: null,
    series_id: null,
    series_name: null,
    season_id: null,
    season_name: null,
    album_id: null,
    album: null,
    album_artist: null,
    overview: null,
    media_streams: '[]',
    extra: '{}',
    image_path: null,
    image_tag: null,
    scan_id: null,
    ...p,
  };
}

export function aUser(name: string, policy: Partial<UserPolicy> = {}): UserRecord {
  return {
    id: hexId(),
    name,
    passwordHash: null,
    policy: { ...DEFAULT_POLICY, ...policy },
    configuration: { PlayDefaultAudioTrack: true },
    dateCreated: '2026-01-01T00:00:00.000Z',
    lastLoginDate: null,
    lastActivityDate: null,
    mustChangePassword: false,
  };
}

/** Items and users in maps; visibility by the real rule (`canUserSeeItem`). */
export class FakeCatalog {
  readonly items = new Map<string, ItemRow>();
  readonly users = new Map<string, UserRecord>();

  add<T extends ItemRow | UserRecord>(thing: T): T {
    if ('policy' in thing) this.users.set(thing.id, thing);
    else this.items.set(thing.id, thing);
    return thing;
  }

  get = (id: string): ItemRow | undefined => this.items.get(id);
  getMany = (ids: readonly string[]): ItemRow[] => ids.map((id) => this.items.get(id)).filter((r): r is ItemRow => !!r);
  getVisible = (userId: string, id: string): ItemRow | undefined => {
    const item = this.items.get(id);
    const user = this.users.get(userId);
    return item && user && canUserSeeItem(user, item) ? item : undefined;
  };
  userLookup = { get: (id: string) => this.users.get(id) };
}

/** A simple transaction for fakes: runs `fn`, restoring `state()` snapshots when it throws. */
export function snapshotTransaction(save: () => () => void) {
  let count = 0;
  const run = <T>(fn: () => T): T => {
    count++;
    const restore = save();
    try {
      return fn();
    } catch (err) {
      restore();
      throw err;
    }
  };
  return { run, count: () => count };
}

/** `Kind:Code` of the domain error `fn` throws (undefined when it does not throw). */
export function errorOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? `${err.kind}:${err.code}` : String(err);
  }
  return undefined;
}
