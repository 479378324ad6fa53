/**
 * Played state, favourites and playback reports for a user. Every change emits `userDataChanged` so the
 * sync core can react (an UnwatchedOnly job drops what was just watched).
 */
import { EventEmitter } from 'node:events';
import { MAX_TICKS, type UserItemDataDto } from '../../shared/api/items.js';
import { tx, type Db } from '../db/connection.js';
import { notFound } from '../http/errors.js';
import type { ItemRow, ItemsRepo } from '../library/itemsRepo.js';
import { decidePlayedPosition } from './resumeRules.js';
import { toUserItemDataDto } from './userDataDto.js';
import type { UserDataRepo } from './userDataRepo.js';

export interface UserDataChangedEvent {
  userId: string;
  itemIds: string[];
}

export interface PlaybackReport {
  ItemId: string;
  PositionTicks?: number;
}

/**
 * A position as stored: whole ticks within [0, MAX_TICKS]. Routes refuse anything else (400); this guards
 * the callers without a schema (offline actions), where a non-finite position can only mean "the end".
 */
function boundedTicks(ticks: number | undefined): number | undefined {
  if (ticks === undefined || Number.isNaN(ticks) || ticks < 0) return undefined;
  return Math.min(Math.round(ticks), MAX_TICKS);
}

function iso(date: Date | string): string {
  return typeof date === 'string' ? new Date(date).toISOString() : date.toISOString();
}

export interface UserDataEvents {
  userDataChanged: [UserDataChangedEvent];
}

export class UserDataService extends EventEmitter<UserDataEvents> {
  constructor(
    private readonly db: Db,
    private readonly repo: UserDataRepo,
    private readonly items: ItemsRepo,
  ) {
    super();
  }

  /** The user's data for an item as Emby shows it (folders with their unplayed counts). */
  userDataDto(userId: string, item: ItemRow): UserItemDataDto {
    const stats = item.is_folder ? this.items.folderStats(userId, [item]).get(item.id) : undefined;
    return toUserItemDataDto(item, this.repo.get(userId, item.id), stats);
  }

  /** Marks an item played; a folder marks every playable item under it (Emby's "mark series watched"). */
  markPlayed(userId: string, itemId: string, date: Date | string = new Date()): UserItemDataDto {
    const item = this.visible(userId, itemId);
    const ids = this.targets(userId, item);
    tx(this.db, () => this.repo.markPlayed(userId, ids, iso(date)));
    this.changed(userId, ids);
    return this.userDataDto(userId, item);
  }

  markUnplayed(userId: string, itemId: string): UserItemDataDto {
    const item = this.visible(userId, itemId);
    const ids = this.targets(userId, item);
    tx(this.db, () => this.repo.markUnplayed(userId, ids));
    this.changed(userId, ids);
    return this.userDataDto(userId, item);
  }

  setFavorite(userId: string, itemId: string, favorite: boolean): UserItemDataDto {
    const item = this.visible(userId, itemId);
    this.repo.setFavorite(userId, item.id, favorite);
    this.changed(userId, [item.id]);
    return this.userDataDto(userId, item);
  }

  /** `/Sessions/Playing/Progress`: remember where the user is (so Resume shows it) without counting a play. */
  reportProgress(userId: string, report: PlaybackReport, date: Date | string = new Date()): void {
    const item = this.visible(userId, report.ItemId);
    const position = boundedTicks(report.PositionTicks);
    if (position === undefined) return;
    this.repo.setPosition(userId, item.id, position, iso(date), false);
    this.changed(userId, [item.id]);
  }

  /** `/Sessions/Playing/Stopped`: the resume rules decide between played, resume point and start over. */
  reportStopped(userId: string, report: PlaybackReport, date: Date | string = new Date()): UserItemDataDto {
    this.visible(userId, report.ItemId);
    return this.applyPlayedPosition(userId, report.ItemId, report.PositionTicks, date)!;
  }

  /**
   * API.md §5.12 exactly: LastPlayedDate = date; position below MinResumePct → 0; above MaxResumePct, no
   * runtime, no position or a runtime under MinResumeDurationSeconds → played (+1 play, position 0); else
   * resume at the position. Unknown items → undefined (offline actions skip them). The sync core's
   * offline actions call this directly, after their own ordering and duplicate checks.
   */
  applyPlayedPosition(userId: string, itemId: string, positionTicks: number | undefined, date: Date | string): UserItemDataDto | undefined {
    const item = this.items.get(itemId);
    if (!item) return undefined;
    const outcome = decidePlayedPosition(item.run_time_ticks, boundedTicks(positionTicks));
    this.repo.setPosition(userId, item.id, outcome.positionTicks, iso(date), outcome.markPlayed);
    this.changed(userId, [item.id]);
    return this.userDataDto(userId, item);
  }

  private visible(userId: string, itemId: string): ItemRow {
    const item = this.items.getVisible(userId, itemId);
    if (!item) throw notFound('Item not found');
    return item;
  }

  private targets(userId: string, item: ItemRow): string[] {
    return item.is_folder || item.type === 'Person' ? this.items.playableDescendants(userId, item).map((r) => r.id) : [item.id];
  }

  private changed(userId: string, itemIds: string[]): void {
    if (itemIds.length) this.emit('userDataChanged', { userId, itemIds });
  }
}
