/**
 * Box sets (collections) and playlists: folders that hold library items in their own order
 * (`folder_entries.position`). Each entry has its own id (Emby's PlaylistItemId), so a playlist may hold
 * the same item twice and still remove or move exactly one of them. Every change is one transaction, and
 * bad input is refused before anything is written. Storage through ports (`EntryFoldersRepo`, `ItemsRepo`).
 */
import type { RunInTransaction } from '../db/connection.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { newId as randomId, normalizeId } from '../ids.js';
import type { UserRecord } from '../auth/usersRepo.js';
import type { NewEntry, NewEntryFolder } from './entryFoldersRepo.js';
import type { ItemRow } from './itemsRepo.js';
import { canUserSeeItem } from './itemVisibility.js';
import { sortNameOf } from './layout.js';
import { viewerFor, type LibraryActor, type UserLookup, type VisibleItems } from './viewer.js';

export type EntryFolderType = 'BoxSet' | 'Playlist';

export interface EntryFolderStore {
  insertFolder(folder: NewEntryFolder): void;
  itemIds(folderId: string): string[];
  nextPosition(folderId: string): number;
  insertEntries(folderId: string, entries: readonly NewEntry[]): void;
  deleteItems(folderId: string, itemIds: readonly string[]): void;
  deleteEntries(folderId: string, entryIds: readonly string[]): void;
  entryIds(folderId: string): string[];
  writeOrder(folderId: string, entryIds: readonly string[]): void;
  touch(folderId: string, date: string): void;
}

export interface CollectionItems extends VisibleItems {
  /** Rows for ids, in the order asked, unknown ids skipped. */
  getMany(ids: readonly string[]): ItemRow[];
}

export interface CollectionsServiceDeps {
  folders: EntryFolderStore;
  items: CollectionItems;
  users: UserLookup;
  transaction: RunInTransaction;
  newId?: () => string;
  now?: () => Date;
}

export interface NewPlaylist {
  name: string | undefined;
  itemIds: readonly string[] | undefined;
  mediaType?: string;
}

export class CollectionsService {
  private readonly newId: () => string;
  private readonly now: () => Date;

  constructor(private readonly d: CollectionsServiceDeps) {
    this.newId = d.newId ?? randomId;
    this.now = d.now ?? (() => new Date());
  }

  /** A box set of the caller's, visible to everyone. */
  createBoxSet(actor: LibraryActor, name: string | undefined, rawItemIds: readonly string[] | undefined): string {
    return this.create(actor.user, 'BoxSet', name, requiredIds(rawItemIds));
  }

  /** A playlist of `{UserId}` (the caller, or anyone for an administrator), private to that user. */
  createPlaylist(actor: LibraryActor, rawUserId: string | undefined, input: NewPlaylist): string {
    const ids = requiredIds(input.itemIds);
    if (!input.name?.trim()) throw badRequest('Name is required');
    const owner = viewerFor(this.d.users, actor, rawUserId);
    return this.create(owner, 'Playlist', input.name, ids, input.mediaType);
  }

  /** Appends items (a box set holds each once; a playlist may repeat one). */
  addItems(actor: LibraryActor, rawUserId: string | undefined, rawFolderId: string, type: EntryFolderType, rawItemIds?: readonly string[]) {
    const ids = requiredIds(rawItemIds);
    const user = type === 'Playlist' ? viewerFor(this.d.users, actor, rawUserId) : actor.user;
    const folder = this.editable(user, rawFolderId, type);
    const members = this.members(user, ids);
    this.d.transaction(() => {
      this.append(folder.id, type, members);
      this.touch(folder.id);
    });
  }

  /** Box sets remove by item id. */
  removeItems(actor: LibraryActor, rawFolderId: string, rawItemIds: readonly string[] | undefined): void {
    const ids = requiredIds(rawItemIds);
    const folder = this.editable(actor.user, rawFolderId, 'BoxSet');
    this.d.transaction(() => {
      this.d.folders.deleteItems(folder.id, ids);
      this.renumber(folder.id);
      this.touch(folder.id);
    });
  }

  /** Playlists remove by entry id (the same item may be listed twice); malformed entry ids match nothing. */
  removeEntries(actor: LibraryActor, rawFolderId: string, rawEntryIds: readonly string[] | undefined): void {
    const entryIds = (rawEntryIds ?? []).map((r) => normalizeId(r)).filter((x): x is string => !!x);
    const folder = this.editable(actor.user, rawFolderId, 'Playlist');
    this.d.transaction(() => {
      this.d.folders.deleteEntries(folder.id, entryIds);
      this.renumber(folder.id);
      this.touch(folder.id);
    });
  }

  /** Moves one entry to `newIndex` (clamped to the end), shifting the others. */
  moveEntry(actor: LibraryActor, rawFolderId: string, rawEntryId: string, newIndex: number): void {
    const entryId = normalizeId(rawEntryId);
    if (!entryId) throw notFound('Playlist entry not found');
    const folder = this.editable(actor.user, rawFolderId, 'Playlist');
    this.d.transaction(() => {
      const order = this.d.folders.entryIds(folder.id);
      const from = order.indexOf(entryId);
      if (from < 0) throw notFound('Playlist entry not found');
      order.splice(from, 1);
      order.splice(Math.min(Math.max(0, newIndex), order.length), 0, entryId);
      this.d.folders.writeOrder(folder.id, order);
      this.touch(folder.id);
    });
  }

  private create(owner: UserRecord, type: EntryFolderType, rawName: string | undefined, itemIds: string[], mediaType?: string): string {
    const name = rawName?.trim();
    if (!name) throw badRequest('Name is required');
    const members = this.members(owner, itemIds);
    const id = this.newId();
    const date = this.now().toISOString();
    const folderMediaType = type === 'Playlist' ? (mediaType ?? members[0]?.media_type ?? null) : null;
    this.d.transaction(() => {
      this.d.folders.insertFolder({ id, type, name, sortName: sortNameOf(name), ownerUserId: owner.id, mediaType: folderMediaType, date });
      this.append(id, type, members);
    });
    return id;
  }

  /** The folder if the user may change it: a playlist is its owner's; a box set its creator's or an admin's. */
  private editable(user: UserRecord, rawFolderId: string, type: EntryFolderType): ItemRow {
    const id = normalizeId(rawFolderId);
    const folder = id ? this.d.items.getVisible(user.id, id) : undefined;
    if (!folder || folder.type !== type) throw notFound(`${type === 'Playlist' ? 'Playlist' : 'Collection'} not found`);
    if (folder.owner_user_id !== user.id && !user.policy.IsAdministrator) throw forbidden('Only its owner may change this');
    return folder;
  }

  /** Items to add, in the order given; an unknown or invisible id is a bad argument (nothing is written). */
  private members(user: UserRecord, itemIds: readonly string[]): ItemRow[] {
    const rows = this.d.items.getMany(itemIds);
    if (rows.length !== itemIds.length || rows.some((r) => !canUserSeeItem(user, r))) throw badRequest('Unknown item id');
    return rows;
  }

  private append(folderId: string, type: EntryFolderType, members: readonly ItemRow[]): void {
    let ids = members.map((m) => m.id);
    if (type === 'BoxSet') {
      // A collection holds an item once; a playlist may repeat one.
      const present = new Set(this.d.folders.itemIds(folderId));
      ids = ids.filter((id) => !present.has(id) && present.add(id));
    }
    const next = this.d.folders.nextPosition(folderId);
    this.d.folders.insertEntries(
      folderId,
      ids.map((itemId, i) => ({ entryId: this.newId(), itemId, position: next + i })),
    );
  }

  private renumber(folderId: string): void {
    this.d.folders.writeOrder(folderId, this.d.folders.entryIds(folderId));
  }

  private touch(folderId: string): void {
    this.d.folders.touch(folderId, this.now().toISOString());
  }
}

/** Ids that must all name items: a malformed one is a bad argument, not a silent drop. */
function requiredIds(raw: readonly string[] | undefined): string[] {
  const ids = (raw ?? []).map((r) => normalizeId(r));
  if (ids.some((id) => !id)) throw badRequest('Ids must be item ids');
  return ids as string[];
}
