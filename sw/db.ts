/**
 * The one Dexie schema, shared by the app (window) and the service worker (README §3 "Storage in the
 * browser"). Versions only ever go up; each new version lists every table again (Dexie's rule) and may
 * carry an upgrade function.
 *
 * Extension points for the sync work (later issues), to be added as version(2+):
 *   - `items`     the offline catalogue: SyncedItem + BaseItemDto per server/user, by ServerId+ItemId
 *   - `downloads` per job item: status, bytes done, sha256 state, chunk count
 *   - `chunks`    media bytes, [fileId+index] → Blob (e.g. 4 MiB), so a download resumes with Range
 *   - `outbox`    offline UserActions waiting for POST /Sync/OfflineActions
 * Must stay free of DOM and WebWorker-only types: it is compiled by both tsconfig.app.json and
 * tsconfig.sw.json.
 */
import Dexie, { type Table } from 'dexie';

/** Small facts both sides need: `deviceId` (the sync TargetId), later the active session for the SW. */
export interface MetaRow {
  key: string;
  value: unknown;
}

export const DB_NAME = 'stowaway';

export class StowawayDb extends Dexie {
  meta!: Table<MetaRow, string>;

  constructor(name = DB_NAME) {
    super(name);
    this.version(1).stores({ meta: 'key' });
  }
}

let shared: StowawayDb | undefined;

/** Opened lazily: a page that never touches storage (or a browser without IndexedDB) pays nothing. */
export function openDb(): StowawayDb {
  shared ??= new StowawayDb();
  return shared;
}

export async function readMeta<T>(key: string): Promise<T | undefined> {
  const row = await openDb().meta.get(key);
  return row?.value as T | undefined;
}

export async function writeMeta(key: string, value: unknown): Promise<void> {
  await openDb().meta.put({ key, value });
}
