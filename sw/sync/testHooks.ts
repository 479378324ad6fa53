/**
 * Test-only behaviour of the service worker, compiled in only when scripts/build.mjs is run with
 * `--test-hooks` (`npm run test:e2e` and `npm run bench` do; `npm run build` does not, so a production
 * sw.js answers no `test-config` message — checked by tests/e2e/fixtures.ts and the build itself).
 *
 *   - `{type: 'test-config', settings}` overrides the download settings (small chunks make a 2 MB file
 *     span many chunks, a short backoff keeps retries fast);
 *   - `{type: 'test-config', quotaBytes}` simulates a full origin: past that many stored bytes, writeChunk
 *     throws a DOMException named QuotaExceededError exactly as IndexedDB does. Real quota cannot be made
 *     small in a test browser without also starving the app shell, so the e2e tests simulate it here, at
 *     the port — the loop's handling (pause, message, keep what is complete) is the same code either way.
 */
import type { LocalItem } from '../db';
import type { ControlStoragePort, SyncSettings } from './ports';

/** What the hooks keep on the device, through the storage port like every handler (dexieStorage.ts). */
export interface TestHookStorage {
  updateSettings(changes: Partial<SyncSettings>): Promise<void>;
  /** A small fact kept by key; undefined removes it. */
  fact<T>(key: string): Promise<T | undefined>;
  setFact(key: string, value: unknown): Promise<void>;
}

export interface TestConfigMessage {
  type: 'test-config';
  settings?: Partial<SyncSettings>;
  quotaBytes?: number | null;
}

const QUOTA_KEY = 'testQuotaBytes';

export function isTestConfig(msg: { type?: unknown }): msg is TestConfigMessage {
  return msg.type === 'test-config';
}

export class TestHooks {
  /** The simulated limit, kept in `meta` (it survives the worker restarting) and in memory after one read. */
  private quota?: Promise<number | undefined>;

  constructor(private readonly store: TestHookStorage) {}

  /** The storage with the simulated limit applied to every chunk write. */
  wrap<S extends ControlStoragePort>(storage: S): S {
    const writeChunk = storage.writeChunk.bind(storage);
    storage.writeChunk = async (item: LocalItem, index: number, data: Blob) => {
      const max = await (this.quota ??= this.store.fact<number>(QUOTA_KEY));
      if (max !== undefined) {
        const used = (await storage.listItems()).reduce((sum, i) => sum + (i.Id === item.Id ? 0 : i.bytes), 0);
        if (used + item.bytes > max) throw new DOMException('The quota has been exceeded (test limit).', 'QuotaExceededError');
      }
      return writeChunk(item, index, data);
    };
    return storage;
  }

  async apply(msg: TestConfigMessage): Promise<void> {
    if (msg.settings) await this.store.updateSettings(msg.settings);
    if (msg.quotaBytes === undefined) return;
    await this.store.setFact(QUOTA_KEY, msg.quotaBytes ?? undefined);
    this.quota = Promise.resolve(msg.quotaBytes ?? undefined);
  }
}
