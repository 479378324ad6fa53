/**
 * Box sets (collections) and playlists: folders that hold library items in their own order
 * (`folder_entries.position`). Each entry has its own id (Emby's PlaylistItemId), so a playlist may hold
 * the same item twice and still remove or move exactly one of them. Every change is one transaction.
 */
import { tx, type Db } from '../db/connection.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import type { UserRecord } from '../auth/usersRepo.js';
import type { ItemRow, ItemsRepo } from './itemsRepo.js';
import { canUserSeeItem, type Viewer } from './itemVisibility.js';
import { sortNameOf } from './layout.js';

export type EntryFolderType = 'BoxSet' | 'Playlist';

export interface CreateFolderInput {
  type: EntryFolderType;
  name: string;
  owner: UserRecord;
  itemIds: readonly string[];
  mediaType?: string;
}

export class CollectionsService {
  constructor(
    private readonly db: Db,
    private readonly items: ItemsRepo,
  ) {}

  create(input: CreateFolderInput, now = new Date().toISOString()): string {
    const name = input.name.trim();
    if (!name) throw badRequest('Name is required');
    const members = this.members(input.owner, input.itemIds);
    const mediaType = input.type === 'Playlist' ? (input.mediaType ?? members[0]?.media_type ?? null) : null;
    const id = newId();
    tx(this.db, () => {
      this.db
        .prepare(
          `INSERT INTO items (id, type, name, sort_name, owner_user_id, is_folder, media_type, date_created, date_modified)
           VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)`,
        )
        .run(id, input.type, name, sortNameOf(name), input.owner.id, mediaType, now, now);
      this.append(
        id,
        input.type,
        members.map((m) => m.id),
      );
    });
    return id;
  }

  addItems(user: UserRecord, folderId: string, type: EntryFolderType, itemIds: readonly string[]): void {
    const folder = this.editable(user, folderId, type);
    const members = this.members(user, itemIds);
    tx(this.db, () => {
      this.append(
        folder.id,
        type,
        members.map((m) => m.id),
      );
      this.touch(folder.id);
    });
  }

  /** Box sets remove by item id. */
  removeItems(user: UserRecord, folderId: string, itemIds: readonly string[]): void {
    const folder = this.editable(user, folderId, 'BoxSet');
    tx(this.db, () => {
      this.db
        .prepare('DELETE FROM folder_entries WHERE folder_id = ? AND item_id IN (SELECT value FROM json_each(?))')
        .run(folder.id, JSON.stringify(itemIds));
      this.renumber(folder.id);
      this.touch(folder.id);
    });
  }

  /** Playlists remove by entry id (the same item may be listed twice). */
  removeEntries(user: UserRecord, folderId: string, entryIds: readonly string[]): void {
    const folder = this.editable(user, folderId, 'Playlist');
    tx(this.db, () => {
      this.db
        .prepare('DELETE FROM folder_entries WHERE folder_id = ? AND entry_id IN (SELECT value FROM json_each(?))')
        .run(folder.id, JSON.stringify(entryIds));
      this.renumber(folder.id);
      this.touch(folder.id);
    });
  }

  /** Moves one entry to `newIndex` (clamped to the end), shifting the others. */
  moveEntry(user: UserRecord, folderId: string, entryId: string, newIndex: number): void {
    const folder = this.editable(user, folderId, 'Playlist');
    tx(this.db, () => {
      const order = this.entryIds(folder.id);
      const from = order.indexOf(entryId);
      if (from < 0) throw notFound('Playlist entry not found');
      order.splice(from, 1);
      order.splice(Math.min(Math.max(0, newIndex), order.length), 0, entryId);
      this.writeOrder(folder.id, order);
      this.touch(folder.id);
    });
  }

  /** The folder if the user may change it: a playlist is its owner's; a box set its creator's or an admin's. */
  private editable(user: UserRecord, folderId: string, type: EntryFolderType): ItemRow {
    const folder = this.items.getVisible(user.id, folderId);
    if (!folder || folder.type !== type) throw notFound(`${type === 'Playlist' ? 'Playlist' : 'Collection'} not found`);
    if (folder.owner_user_id !== user.id && !user.policy.IsAdministrator) throw forbidden('Only its owner may change this');
    return folder;
  }

  /** Items to add, in the order given; an unknown or invisible id is a bad argument (nothing is written). */
  private members(user: Viewer, itemIds: readonly string[]): ItemRow[] {
    const rows = this.items.getMany(itemIds);
    if (rows.length !== itemIds.length || rows.some((r) => !canUserSeeItem(user, r))) {
      throw badRequest('Unknown item id');
    }
    return rows;
  }

  private append(folderId: string, type: EntryFolderType, itemIds: readonly string[]): void {
    let ids = itemIds;
    if (type === 'BoxSet') {
      // A collection holds an item once; a playlist may repeat one.
      const present = new Set(this.db.prepare('SELECT item_id FROM folder_entries WHERE folder_id = ?').pluck().all(folderId) as string[]);
      ids = itemIds.filter((id) => !present.has(id) && present.add(id));
    }
    const next =
      (this.db.prepare('SELECT COALESCE(MAX(position), -1) + 1 FROM folder_entries WHERE folder_id = ?').pluck().get(folderId) as number) ??
      0;
    const insert = this.db.prepare('INSERT INTO folder_entries (entry_id, folder_id, item_id, position) VALUES (?, ?, ?, ?)');
    ids.forEach((itemId, i) => insert.run(newId(), folderId, itemId, next + i));
  }

  private entryIds(folderId: string): string[] {
    return this.db
      .prepare('SELECT entry_id FROM folder_entries WHERE folder_id = ? ORDER BY position, entry_id')
      .pluck()
      .all(folderId) as string[];
  }

  private renumber(folderId: string): void {
    this.writeOrder(folderId, this.entryIds(folderId));
  }

  private writeOrder(folderId: string, entryIds: readonly string[]): void {
    const update = this.db.prepare('UPDATE folder_entries SET position = ? WHERE entry_id = ? AND folder_id = ?');
    entryIds.forEach((id, i) => update.run(i, id, folderId));
  }

  private touch(folderId: string): void {
    this.db.prepare('UPDATE items SET date_modified = ? WHERE id = ?').run(new Date().toISOString(), folderId);
  }
}
