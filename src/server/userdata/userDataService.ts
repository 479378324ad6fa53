/**
 * Played state, favourites and playback reports for a user. Every change emits `userDataChanged` so the
 * sync core can react (an UnwatchedOnly job drops what was just watched). The service reaches storage
 * through the ports below (`UserDataRepo`, `ItemsRepo`, `UsersRepo` in the server; fakes in its spec).
 */
import { EventEmitter } from 'node:events';
import { MAX_TICKS, type UserItemDataDto } from '../../shared/api/items.js';
import type { RunInTransaction } from '../db/connection.js';
import type { FolderStats, ItemRow } from '../library/itemsRepo.js';
import { viewerFor, visibleItemOf, type LibraryActor, type UserLookup } from '../library/viewer.js';
import { decidePlayedPosition } from './resumeRules.js';
import { toUserItemDataDto } from './userDataDto.js';
import type { UserDataRow } from './userDataRepo.js';

export interface UserDataChangedEvent {
  userId: string;
  itemIds: string[];
}

export interface PlaybackReport {
  ItemId: string;
  PositionTicks?: number;
}

export interface UserDataEvents {
  userDataChanged: [UserDataChangedEvent];
}

export interface UserDataStore {
  get(userId: string, itemId: string): UserDataRow | undefined;
  markPlayed(userId: string, itemIds: readonly string[], date: string): void;
  markUnplayed(userId: string, itemIds: readonly string[]): void;
  setFavorite(userId: string, itemId: string, favorite: boolean): void;
  setPosition(userId: string, itemId: string, positionTicks: number, date: string, countPlay: boolean): void;
}

/** What the service reads about items (`ItemsRepo` fits). */
export interface UserDataItems {
  get(id: string): ItemRow | undefined;
  getVisible(userId: string, id: string): ItemRow | undefined;
  folderStats(userId: string, folders: ReadonlyArray<Pick<ItemRow, 'id' | 'type'>>): Map<string, FolderStats>;
  playableDescendants(userId: string, folder: ItemRow): ItemRow[];
}

export interface UserDataServiceDeps {
  repo: UserDataStore;
  items: UserDataItems;
  users: UserLookup;
  transaction: RunInTransaction;
}

function iso(date: Date | string): string {
  return typeof date === 'string' ? new Date(date).toISOString() : date.toISOString();
}

/**
 * A position as stored: whole ticks within [0, MAX_TICKS]. Routes refuse anything else (400); this guards
 * the callers without a schema (offline actions), where a non-finite position can only mean "the end".
 */
function boundedTicks(ticks: number | undefined): number | undefined {
  if (ticks === undefined || Number.isNaN(ticks) || ticks < 0) return undefined;
  return Math.min(Math.round(ticks), MAX_TICKS);
}

export class UserDataService extends EventEmitter<UserDataEvents> {
  constructor(private readonly d: UserDataServiceDeps) {
    super();
  }

  /** Marks an item played for `{uid}`; a folder marks every playable item under it ("mark series watched"). */
  markPlayed(actor: LibraryActor, rawUserId: string, rawItemId: string, date: Date | string = new Date()): UserItemDataDto {
    const { userId, item } = this.target(actor, rawUserId, rawItemId);
    const ids = this.targets(userId, item);
    this.d.transaction(() => this.d.repo.markPlayed(userId, ids, iso(date)));
    this.changed(userId, ids);
    return this.userDataDto(userId, item);
  }

  markUnplayed(actor: LibraryActor, rawUserId: string, rawItemId: string): UserItemDataDto {
    const { userId, item } = this.target(actor, rawUserId, rawItemId);
    const ids = this.targets(userId, item);
    this.d.transaction(() => this.d.repo.markUnplayed(userId, ids));
    this.changed(userId, ids);
    return this.userDataDto(userId, item);
  }

  setFavorite(actor: LibraryActor, rawUserId: string, rawItemId: string, favorite: boolean): UserItemDataDto {
    const { userId, item } = this.target(actor, rawUserId, rawItemId);
    this.d.repo.setFavorite(userId, item.id, favorite);
    this.changed(userId, [item.id]);
    return this.userDataDto(userId, item);
  }

  /** `/Sessions/Playing`: nothing changes (Emby records the session only), but the item must be the caller's to see. */
  reportStart(actor: LibraryActor, report: PlaybackReport): void {
    visibleItemOf(this.d.items, actor.user.id, report.ItemId);
  }

  /** `/Sessions/Playing/Progress`: remember where the caller is (so Resume shows it) without counting a play. */
  reportProgress(actor: LibraryActor, report: PlaybackReport, date: Date | string = new Date()): void {
    const item = visibleItemOf(this.d.items, actor.user.id, report.ItemId);
    const position = boundedTicks(report.PositionTicks);
    if (position === undefined) return;
    this.d.repo.setPosition(actor.user.id, item.id, position, iso(date), false);
    this.changed(actor.user.id, [item.id]);
  }

  /** `/Sessions/Playing/Stopped`: the resume rules decide between played, resume point and start over. */
  reportStopped(actor: LibraryActor, report: PlaybackReport, date: Date | string = new Date()): UserItemDataDto {
    const item = visibleItemOf(this.d.items, actor.user.id, report.ItemId);
    return this.applyPlayedPosition(actor.user.id, item.id, report.PositionTicks, date)!;
  }

  /**
   * API.md §5.12 exactly: LastPlayedDate = date; position below MinResumePct → 0; above MaxResumePct, no
   * runtime, no position or a runtime under MinResumeDurationSeconds → played (+1 play, position 0); else
   * resume at the position. Unknown items → undefined (offline actions skip them). The sync core's
   * offline actions call this directly, after their own ordering and duplicate checks.
   */
  applyPlayedPosition(userId: string, itemId: string, positionTicks: number | undefined, date: Date | string): UserItemDataDto | undefined {
    const item = this.d.items.get(itemId);
    if (!item) return undefined;
    const outcome = decidePlayedPosition(item.run_time_ticks, boundedTicks(positionTicks));
    this.d.repo.setPosition(userId, item.id, outcome.positionTicks, iso(date), outcome.markPlayed);
    this.changed(userId, [item.id]);
    return this.userDataDto(userId, item);
  }

  /** The user's data for an item as Emby shows it (folders with their unplayed counts). */
  private userDataDto(userId: string, item: ItemRow): UserItemDataDto {
    const stats = item.is_folder ? this.d.items.folderStats(userId, [item]).get(item.id) : undefined;
    return toUserItemDataDto(item, this.d.repo.get(userId, item.id), stats);
  }

  /** `{uid}` as the library rules read it, and an item that user may see. */
  private target(actor: LibraryActor, rawUserId: string, rawItemId: string): { userId: string; item: ItemRow } {
    const user = viewerFor(this.d.users, actor, rawUserId);
    return { userId: user.id, item: visibleItemOf(this.d.items, user.id, rawItemId) };
  }

  private targets(userId: string, item: ItemRow): string[] {
    return item.is_folder || item.type === 'Person' ? this.d.items.playableDescendants(userId, item).map((r) => r.id) : [item.id];
  }

  private changed(userId: string, itemIds: string[]): void {
    if (itemIds.length) this.emit('userDataChanged', { userId, itemIds });
  }
}
