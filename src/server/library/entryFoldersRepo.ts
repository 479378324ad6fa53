/**
 * Storage of box sets and playlists: the folder row and its ordered entries (`folder_entries`). Statements
 * are prepared once; callers run multi-step changes inside one transaction.
 */
import type { Db } from '../db/connection.js';

export interface NewEntryFolder {
  id: string;
  type: 'BoxSet' | 'Playlist';
  name: string;
  sortName: string;
  ownerUserId: string;
  mediaType: string | null;
  date: string;
}

export interface NewEntry {
  entryId: string;
  itemId: string;
  position: number;
}

export class EntryFoldersRepo {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insertFolder: db.prepare(
        `INSERT INTO items (id, type, name, sort_name, owner_user_id, is_folder, media_type, date_created, date_modified)
         VALUES (@id, @type, @name, @sortName, @ownerUserId, 1, @mediaType, @date, @date)`,
      ),
      itemIds: db.prepare('SELECT item_id FROM folder_entries WHERE folder_id = ?').pluck(),
      nextPosition: db.prepare('SELECT COALESCE(MAX(position), -1) + 1 FROM folder_entries WHERE folder_id = ?').pluck(),
      insertEntry: db.prepare('INSERT INTO folder_entries (entry_id, folder_id, item_id, position) VALUES (?, ?, ?, ?)'),
      deleteItems: db.prepare('DELETE FROM folder_entries WHERE folder_id = ? AND item_id IN (SELECT value FROM json_each(?))'),
      deleteEntries: db.prepare('DELETE FROM folder_entries WHERE folder_id = ? AND entry_id IN (SELECT value FROM json_each(?))'),
      entryIds: db.prepare('SELECT entry_id FROM folder_entries WHERE folder_id = ? ORDER BY position, entry_id').pluck(),
      setPosition: db.prepare('UPDATE folder_entries SET position = ? WHERE entry_id = ? AND folder_id = ?'),
      touch: db.prepare('UPDATE items SET date_modified = ? WHERE id = ?'),
    };
  }

  insertFolder(folder: NewEntryFolder): void {
    this.stmts.insertFolder.run(folder);
  }

  /** The item ids a folder holds (in no particular order). */
  itemIds(folderId: string): string[] {
    return this.stmts.itemIds.all(folderId) as string[];
  }

  /** The position after the last entry (0 for an empty folder). */
  nextPosition(folderId: string): number {
    return (this.stmts.nextPosition.get(folderId) as number | undefined) ?? 0;
  }

  insertEntries(folderId: string, entries: readonly NewEntry[]): void {
    for (const e of entries) this.stmts.insertEntry.run(e.entryId, folderId, e.itemId, e.position);
  }

  deleteItems(folderId: string, itemIds: readonly string[]): void {
    this.stmts.deleteItems.run(folderId, JSON.stringify(itemIds));
  }

  deleteEntries(folderId: string, entryIds: readonly string[]): void {
    this.stmts.deleteEntries.run(folderId, JSON.stringify(entryIds));
  }

  /** Entry ids in their order. */
  entryIds(folderId: string): string[] {
    return this.stmts.entryIds.all(folderId) as string[];
  }

  /** Positions 0…n-1 in the given order. */
  writeOrder(folderId: string, entryIds: readonly string[]): void {
    entryIds.forEach((id, i) => this.stmts.setPosition.run(i, id, folderId));
  }

  touch(folderId: string, date: string): void {
    this.stmts.touch.run(date, folderId);
  }
}
