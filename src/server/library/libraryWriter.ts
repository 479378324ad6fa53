/**
 * The library's write side: carries out the scanner's plans (`itemRows.ts`) — a file's row, the views,
 * series, seasons, albums and items-by-name it hangs from, its links — keeps ids stable across rescans,
 * removes what vanished, and records scan issues. Every call that writes runs in one transaction, so
 * readers never see half an item. Statements are built once (typed by Kysely against `tables.ts`) and
 * prepared once; nothing is prepared inside a loop.
 */
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../db/connection.js';
import { tx } from '../db/connection.js';
import { createQueryBuilder, type LibraryQueryBuilder } from '../db/queryBuilder.js';
import type { ItemsTable } from '../db/tables.js';
import type { ItemType, MediaStream } from '../../shared/api/items.js';
import {
  planFile,
  SCANNED_COLUMNS,
  sidecarKeyOf,
  withSidecarStreams,
  type ContainerKind,
  type ContainerPlan,
  type FileItemExtra,
  type LinkPlan,
  type ScannedFile,
  type ScannedItemRow,
} from './itemRows.js';
import { BY_NAME_TYPES } from './itemTypes.js';
import type { SidecarSubtitle } from './layout.js';
import { isUnder } from './paths.js';

export {
  albumId,
  byNameId,
  externalSubtitlePath,
  LINK_KINDS,
  seasonId,
  sidecarKeyOf,
  viewId,
  withSidecarStreams,
  type FileItemExtra,
  type ScannedFile,
  type ViewKind,
} from './itemRows.js';

export interface KnownFile {
  id: string;
  size: number;
  mtimeMs: number;
  sidecarKey: string;
  hasImage: boolean;
  incomplete?: string;
}

export interface WrittenItem {
  id: string;
  change: 'added' | 'updated';
}

export interface ScanIssue {
  path: string;
  reason: string;
  date: string;
}

export interface ImageSourceRow {
  id: string;
  type: ItemType;
  path: string | null;
  media_type: string | null;
  run_time_ticks: number | null;
  media_streams: string;
  extra: string;
  image_tag: string | null;
}

/** What a rescan refreshes on a container that exists already; the other columns keep their first values. */
const REFRESHED: Record<ContainerKind, ReadonlyArray<keyof ScannedItemRow>> = {
  view: [],
  byName: [],
  series: ['name', 'sort_name', 'production_year', 'parent_id', 'top_parent_id'],
  season: ['name', 'sort_name', 'parent_id', 'top_parent_id', 'series_id', 'series_name', 'index_number', 'extra'],
  album: ['name', 'sort_name', 'parent_id', 'top_parent_id', 'album_artist', 'production_year', 'extra'],
};

/** A named parameter (`@name`), bound when the prepared statement runs. */
const param = (name: string) => sql.raw<string>(`@${name}`);

/**
 * `INSERT` of the scanned columns with named parameters (`@column`, `@now`), compiled once by Kysely from
 * the typed column list. A file's insert replaces every scanned column (and its modification date) when
 * the row exists; a container's is only ever an insert of a missing row.
 */
function insertSql(qb: LibraryQueryBuilder, onConflict: 'replace' | 'ignore'): string {
  // Every value is a named parameter: the columns are what Kysely checks here.
  const values = Object.fromEntries(SCANNED_COLUMNS.map((c) => [c, param(c)])) as unknown as Insertable<ItemsTable>;
  const excluded = (c: string) => sql.ref(`excluded.${c}`);
  const replace = Object.fromEntries([...SCANNED_COLUMNS.filter((c) => c !== 'id'), 'date_modified'].map((c) => [c, excluded(c)]));
  return qb
    .insertInto('items')
    .values({ ...values, date_created: param('now'), date_modified: param('now') })
    .onConflict((oc) => (onConflict === 'replace' ? oc.column('id').doUpdateSet(replace) : oc.column('id').doNothing()))
    .compile().sql;
}

/** `UPDATE items SET <columns> WHERE id = @id` with named parameters. */
function refreshSql(qb: LibraryQueryBuilder, columns: ReadonlyArray<keyof ScannedItemRow>): string {
  const set = Object.fromEntries(columns.map((c) => [c, param(c)])) as unknown as Updateable<ItemsTable>;
  return qb.updateTable('items').set(set).where('id', '=', param('id')).compile().sql;
}

export class LibraryWriter {
  private readonly stmts;

  constructor(private readonly db: Db) {
    const qb = createQueryBuilder(db);
    const byName = BY_NAME_TYPES.map((t) => `'${t}'`).join(', ');
    this.stmts = {
      upsertFile: db.prepare(insertSql(qb, 'replace')),
      insertContainer: db.prepare(insertSql(qb, 'ignore')),
      refresh: Object.fromEntries(
        (Object.keys(REFRESHED) as ContainerKind[])
          .filter((k) => REFRESHED[k].length)
          .map((k) => [k, db.prepare(refreshSql(qb, REFRESHED[k]))]),
      ) as Partial<Record<ContainerKind, ReturnType<Db['prepare']>>>,
      exists: db.prepare('SELECT 1 FROM items WHERE id = ?').pluck(),
      deleteLinks: db.prepare('DELETE FROM item_links WHERE item_id = ?'),
      addLink: db.prepare(
        `INSERT INTO item_links (item_id, target_id, kind, role, position) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(item_id, target_id, kind) DO NOTHING`,
      ),
      markSeen: db.prepare('UPDATE items SET scan_id = ? WHERE id = ?'),
      streamsAndExtra: db.prepare('SELECT media_streams, extra FROM items WHERE id = ?'),
      setSidecars: db.prepare('UPDATE items SET media_streams = ?, extra = ?, date_modified = ?, scan_id = ? WHERE id = ?'),
      unseenFiles: db.prepare(
        `SELECT id, path FROM items WHERE is_folder = 0 AND path IS NOT NULL AND mtime_ms IS NOT NULL
         AND (scan_id IS NULL OR scan_id <> ?)`,
      ),
      deleteItem: db.prepare('DELETE FROM items WHERE id = ?'),
      emptyContainers: db
        .prepare(
          `SELECT id FROM items i WHERE i.type IN ('Season', 'Series', 'MusicAlbum', 'CollectionFolder')
           AND NOT EXISTS (SELECT 1 FROM items c WHERE c.parent_id = i.id)`,
        )
        .pluck(),
      orphanedByName: db
        .prepare(
          `SELECT id FROM items i WHERE i.type IN (${byName})
           AND NOT EXISTS (SELECT 1 FROM item_links l WHERE l.target_id = i.id)`,
        )
        .pluck(),
      setImage: db.prepare('UPDATE items SET image_path = ?, image_tag = ? WHERE id = ?'),
      image: db.prepare('SELECT image_path, image_tag FROM items WHERE id = ?'),
      imageSource: db.prepare('SELECT id, type, path, media_type, run_time_ticks, media_streams, extra, image_tag FROM items WHERE id = ?'),
      issuePaths: db.prepare('SELECT path FROM scan_issues').pluck(),
      deleteIssue: db.prepare('DELETE FROM scan_issues WHERE path = ?'),
      upsertIssue: db.prepare(
        `INSERT INTO scan_issues (path, reason, date) VALUES (?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET reason = excluded.reason,
           date = CASE WHEN scan_issues.reason = excluded.reason THEN scan_issues.date ELSE excluded.date END`,
      ),
    };
  }

  /** File items by path, for the incremental check (same size and mtime → not probed again). */
  knownFiles(): Map<string, KnownFile> {
    const rows = this.db
      .prepare(
        `SELECT id, path, size, mtime_ms, extra, image_tag FROM items
         WHERE is_folder = 0 AND path IS NOT NULL AND mtime_ms IS NOT NULL`,
      )
      .all() as Array<{ id: string; path: string; size: number; mtime_ms: number; extra: string; image_tag: string | null }>;
    const map = new Map<string, KnownFile>();
    for (const r of rows) {
      const extra = JSON.parse(r.extra || '{}') as FileItemExtra;
      map.set(r.path, {
        id: r.id,
        size: r.size,
        mtimeMs: r.mtime_ms,
        sidecarKey: extra.sidecarKey ?? '',
        hasImage: !!r.image_tag,
        incomplete: extra.incomplete,
      });
    }
    return map;
  }

  nextScanId(): number {
    return ((this.db.prepare('SELECT COALESCE(MAX(scan_id), 0) FROM items').pluck().get() as number) ?? 0) + 1;
  }

  /** Writes new and changed files with everything they hang from, in one transaction. */
  writeFiles(files: readonly ScannedFile[], scanId: number, now = new Date().toISOString()): WrittenItem[] {
    const ensured = new Set<string>();
    return tx(this.db, () => files.map((f) => this.writeFile(f, scanId, now, ensured)));
  }

  /** Unchanged files: only their scan id moves, so the end-of-scan sweep knows they are still there. */
  markSeen(ids: readonly string[], scanId: number): void {
    tx(this.db, () => {
      for (const id of ids) this.stmts.markSeen.run(scanId, id);
    });
  }

  /** A sidecar appeared or went away beside an unchanged video: rebuild its streams without probing. */
  updateSidecars(id: string, sidecars: readonly SidecarSubtitle[], scanId: number, now = new Date().toISOString()): void {
    tx(this.db, () => {
      const row = this.stmts.streamsAndExtra.get(id) as { media_streams: string; extra: string } | undefined;
      if (!row) return;
      const { streams, paths } = withSidecarStreams(JSON.parse(row.media_streams) as MediaStream[], sidecars);
      const extra = JSON.parse(row.extra || '{}') as FileItemExtra;
      extra.externalSubtitlePaths = paths;
      extra.sidecarKey = sidecarKeyOf(sidecars);
      this.stmts.setSidecars.run(JSON.stringify(streams), JSON.stringify(extra), now, scanId, id);
    });
  }

  /**
   * Deletes file items this scan did not see (including those of media folders no longer configured),
   * except under `keep` (folders that could not be read, roots that are missing: an unmounted disk must
   * not empty the library), then everything left empty. Returns the removed ids.
   */
  removeUnseen(scanId: number, keep: readonly string[]): string[] {
    return tx(this.db, () => {
      const rows = this.stmts.unseenFiles.all(scanId) as Array<{ id: string; path: string }>;
      const removed: string[] = [];
      for (const r of rows) {
        if (keep.some((k) => k === r.path || isUnder(k, r.path))) continue;
        this.stmts.deleteItem.run(r.id);
        removed.push(r.id);
      }
      return removed.concat(this.pruneEmpty());
    });
  }

  /** Seasons, series, albums and views without children (until none is left), and items-by-name nothing links to. */
  private pruneEmpty(): string[] {
    const removed: string[] = [];
    for (let empty = this.stmts.emptyContainers.all() as string[]; empty.length; empty = this.stmts.emptyContainers.all() as string[]) {
      for (const id of empty) this.stmts.deleteItem.run(id);
      removed.push(...empty);
    }
    const orphans = this.stmts.orphanedByName.all() as string[];
    for (const id of orphans) this.stmts.deleteItem.run(id);
    return removed.concat(orphans);
  }

  setImage(id: string, imagePath: string | null, imageTag: string | null): void {
    this.stmts.setImage.run(imagePath, imageTag, id);
  }

  imageOf(id: string): { imagePath: string; imageTag: string } | undefined {
    const r = this.stmts.image.get(id) as { image_path: string | null; image_tag: string | null } | undefined;
    return r?.image_path && r.image_tag ? { imagePath: r.image_path, imageTag: r.image_tag } : undefined;
  }

  itemExists(id: string): boolean {
    return this.stmts.exists.get(id) !== undefined;
  }

  /** What the image extractor needs about one item. */
  imageSource(id: string): ImageSourceRow | undefined {
    return this.stmts.imageSource.get(id) as ImageSourceRow | undefined;
  }

  /** File items still without an image (a previous scan's extraction failed or never ran). */
  fileItemsWithoutImage(): string[] {
    return this.db
      .prepare(`SELECT id FROM items WHERE is_folder = 0 AND mtime_ms IS NOT NULL AND image_tag IS NULL`)
      .pluck()
      .all() as string[];
  }

  /** Series, seasons and albums without an image, with their folder and first child holding one. */
  containersWithoutImage(): Array<{ id: string; type: string; folder?: string; firstChildImage?: string }> {
    const rows = this.db
      .prepare(
        `SELECT i.id, i.type, i.extra, i.path,
           (SELECT c.image_path FROM items c
             WHERE (c.parent_id = i.id OR c.season_id = i.id OR c.series_id = i.id OR c.album_id = i.id)
               AND c.image_path IS NOT NULL AND c.is_folder = 0
             ORDER BY c.parent_index_number, c.index_number, c.sort_name LIMIT 1) AS child_image
         FROM items i WHERE i.type IN ('Series', 'Season', 'MusicAlbum') AND i.image_tag IS NULL`,
      )
      .all() as Array<{ id: string; type: string; extra: string; path: string | null; child_image: string | null }>;
    return rows.map((r) => {
      const extra = JSON.parse(r.extra || '{}') as FileItemExtra;
      return { id: r.id, type: r.type, folder: extra.folder, firstChildImage: r.child_image ?? undefined };
    });
  }

  /** Replaces the issues with this scan's: fixed and vanished files drop out, dates of known ones stay. */
  replaceIssues(issues: ReadonlyArray<{ path: string; reason: string }>, now = new Date().toISOString()): void {
    tx(this.db, () => {
      const current = new Set(issues.map((i) => i.path));
      for (const p of this.stmts.issuePaths.all() as string[]) if (!current.has(p)) this.stmts.deleteIssue.run(p);
      for (const i of issues) this.stmts.upsertIssue.run(i.path, i.reason, now);
    });
  }

  issues(): ScanIssue[] {
    return this.db.prepare('SELECT path, reason, date FROM scan_issues ORDER BY path').all() as ScanIssue[];
  }

  private writeFile(f: ScannedFile, scanId: number, now: string, ensured: Set<string>): WrittenItem {
    const plan = planFile(f, scanId);
    const existed = this.itemExists(plan.row.id);
    for (const c of plan.containers) this.ensureContainer(c, now, ensured);
    this.stmts.upsertFile.run({ ...plan.row, now });
    this.stmts.deleteLinks.run(plan.row.id);
    plan.links.forEach((l, i) => this.addLink(l, i));
    for (const l of plan.containerLinks) this.addLink(l, 0);
    return { id: plan.row.id, change: existed ? 'updated' : 'added' };
  }

  /**
   * Inserts a container if missing; an existing series, season or album gets its kind's columns refreshed
   * (the latest file names it). Views and items-by-name never change once written, so each is looked at
   * once per batch (`ensured`).
   */
  private ensureContainer(c: ContainerPlan, now: string, ensured: Set<string>): void {
    const refresh = REFRESHED[c.kind];
    if (refresh.length === 0 && ensured.has(c.row.id)) return;
    ensured.add(c.row.id);
    if (!this.itemExists(c.row.id)) this.stmts.insertContainer.run({ ...c.row, now });
    else if (refresh.length) this.stmts.refresh[c.kind]!.run(Object.fromEntries([['id', c.row.id], ...refresh.map((k) => [k, c.row[k]])]));
  }

  private addLink(l: LinkPlan, position: number): void {
    this.stmts.addLink.run(l.itemId, l.target, l.kind, l.role ?? null, position);
  }
}
