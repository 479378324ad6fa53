/**
 * A byte budget for a folder of derived files (resized images): every file is listed in recency order,
 * reads move it to the back, and adding a file past the budget deletes from the front. The list is built
 * from the folder (by modification time) at first use, and reads touch the file's mtime, so recency
 * survives a restart.
 */
import fs from 'node:fs';
import path from 'node:path';

export class DiskLru {
  /** Path → size; Map order is recency order, oldest first. */
  private readonly entries = new Map<string, number>();
  private total = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  get bytes(): number {
    return this.total;
  }

  get files(): number {
    return this.entries.size;
  }

  /** A hit: the file exists and is now the most recently used. */
  async hit(file: string): Promise<boolean> {
    await this.load();
    const size = this.entries.get(file);
    if (size === undefined) return false;
    if (!fs.existsSync(file)) {
      this.forget(file);
      return false;
    }
    this.entries.delete(file);
    this.entries.set(file, size);
    const now = new Date();
    fs.promises.utimes(file, now, now).catch(() => undefined);
    return true;
  }

  /** Records a new file and evicts the least recently used ones until the folder fits its budget. */
  async add(file: string, size: number): Promise<void> {
    await this.load();
    this.forget(file);
    this.entries.set(file, size);
    this.total += size;
    for (const [old, oldSize] of this.entries) {
      if (this.total <= this.maxBytes || old === file) break;
      this.entries.delete(old);
      this.total -= oldSize;
      await fs.promises.rm(old, { force: true }).catch(() => undefined);
    }
  }

  /** Forgets every file under `sub` (the caller deletes the folder). */
  forgetUnder(sub: string): void {
    const prefix = sub.endsWith(path.sep) ? sub : sub + path.sep;
    for (const file of [...this.entries.keys()]) if (file.startsWith(prefix)) this.forget(file);
  }

  private forget(file: string): void {
    const size = this.entries.get(file);
    if (size === undefined) return;
    this.entries.delete(file);
    this.total -= size;
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      const found: Array<{ file: string; size: number; mtime: number }> = [];
      const walk = async (dir: string) => {
        const list = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
        for (const e of list) {
          const full = path.join(dir, e.name);
          if (e.isDirectory()) await walk(full);
          else if (e.isFile() && !e.name.startsWith('.')) {
            const st = await fs.promises.stat(full).catch(() => undefined);
            if (st) found.push({ file: full, size: st.size, mtime: st.mtimeMs });
          }
        }
      };
      await walk(this.dir);
      found.sort((a, b) => a.mtime - b.mtime);
      for (const f of found) {
        if (!this.entries.has(f.file)) {
          this.entries.set(f.file, f.size);
          this.total += f.size;
        }
      }
    })();
    return this.loading;
  }
}
