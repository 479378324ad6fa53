/**
 * Watches the media folders and asks for a rescan after changes settle. Copying an episode onto the server
 * fires dozens of events over seconds; one debounced scan (the scanner is incremental and coalesces
 * requests) turns them into a single library change, which the sync core sees at once.
 */
import { watch, type FSWatcher } from 'chokidar';
import path from 'node:path';
import type { LibraryLogger } from './images.js';
import { silentLogger } from './images.js';
import { isHiddenName } from './layout.js';

export interface LibraryWatcherOptions {
  roots: readonly string[];
  /** Called once changes have been quiet for `debounceMs`. */
  onChange: () => Promise<unknown> | void;
  debounceMs?: number;
  logger?: LibraryLogger;
  /** Network shares do not deliver inotify events; polling finds their changes, slowly. */
  usePolling?: boolean;
}

export class LibraryWatcher {
  private readonly watcher: FSWatcher;
  private timer: NodeJS.Timeout | undefined;
  private readonly debounceMs: number;
  private readonly log: LibraryLogger;
  private closed = false;
  private readyPromise: Promise<void>;

  constructor(private readonly opts: LibraryWatcherOptions) {
    this.debounceMs = opts.debounceMs ?? 2000;
    this.log = opts.logger ?? silentLogger;
    this.watcher = watch([...opts.roots], {
      ignoreInitial: true,
      persistent: true,
      usePolling: opts.usePolling ?? false,
      // Our own temp files (.name.partial) and dot-folders change constantly and are never content.
      ignored: (p: string) => path.basename(p) !== '' && isHiddenName(path.basename(p)) && !opts.roots.includes(p),
    });
    this.readyPromise = new Promise((resolve) => this.watcher.once('ready', () => resolve()));
    for (const event of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) {
      this.watcher.on(event, (p: string) => this.poke(event, p));
    }
    this.watcher.on('error', (err: unknown) => this.log.warn({ err }, 'media folder watcher error'));
  }

  /** Resolves when the initial tree is being watched (tests wait for it before touching files). */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.watcher.close();
  }

  private poke(event: string, p: string): void {
    if (this.closed) return;
    this.log.debug({ event, path: p }, 'media folder changed');
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed) return;
      Promise.resolve()
        .then(() => this.opts.onChange())
        .catch((err: unknown) => this.log.error({ err }, 'rescan after a folder change failed'));
    }, this.debounceMs);
    this.timer.unref?.();
  }
}
