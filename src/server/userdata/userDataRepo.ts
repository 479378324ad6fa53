/** Per-user state of library items (played, position, play count, favourite), read in batches. */
import type { Db } from '../db/connection.js';
import type { UserDataTable } from '../db/tables.js';

export type UserDataRow = UserDataTable;

export class UserDataRepo {
  constructor(private readonly db: Db) {}

  get(userId: string, itemId: string): UserDataRow | undefined {
    return this.db.prepare('SELECT * FROM user_data WHERE user_id = ? AND item_id = ?').get(userId, itemId) as UserDataRow | undefined;
  }

  /** One statement for a whole page of items. */
  getMany(userId: string, itemIds: readonly string[]): Map<string, UserDataRow> {
    if (itemIds.length === 0) return new Map();
    const rows = this.db
      .prepare('SELECT * FROM user_data WHERE user_id = ? AND item_id IN (SELECT value FROM json_each(?))')
      .all(userId, JSON.stringify(itemIds)) as UserDataRow[];
    return new Map(rows.map((r) => [r.item_id, r]));
  }

  /** Played: one more play, position back to the start, played at `date`. */
  markPlayed(userId: string, itemIds: readonly string[], date: string): void {
    if (itemIds.length === 0) return;
    this.db
      .prepare(
        `INSERT INTO user_data (user_id, item_id, played, play_count, playback_position_ticks, last_played_date)
         SELECT @user, value, 1, 1, 0, @date FROM json_each(@ids) WHERE true
         ON CONFLICT(user_id, item_id) DO UPDATE SET played = 1, play_count = play_count + 1,
           playback_position_ticks = 0, last_played_date = @date`,
      )
      .run({ user: userId, ids: JSON.stringify(itemIds), date });
  }

  /** Unplayed, as Emby does it: count, position and last-played date are cleared too. */
  markUnplayed(userId: string, itemIds: readonly string[]): void {
    if (itemIds.length === 0) return;
    this.db
      .prepare(
        `UPDATE user_data SET played = 0, play_count = 0, playback_position_ticks = 0, last_played_date = NULL
         WHERE user_id = ? AND item_id IN (SELECT value FROM json_each(?))`,
      )
      .run(userId, JSON.stringify(itemIds));
  }

  setFavorite(userId: string, itemId: string, favorite: boolean): void {
    this.db
      .prepare(
        `INSERT INTO user_data (user_id, item_id, is_favorite) VALUES (?, ?, ?)
         ON CONFLICT(user_id, item_id) DO UPDATE SET is_favorite = excluded.is_favorite`,
      )
      .run(userId, itemId, favorite ? 1 : 0);
  }

  /** Stores a position (and optionally a play) at `date`. */
  setPosition(userId: string, itemId: string, positionTicks: number, date: string, countPlay: boolean): void {
    this.db
      .prepare(
        `INSERT INTO user_data (user_id, item_id, played, play_count, playback_position_ticks, last_played_date)
         VALUES (@user, @item, @played, @played, @pos, @date)
         ON CONFLICT(user_id, item_id) DO UPDATE SET playback_position_ticks = @pos, last_played_date = @date,
           played = MAX(played, @played), play_count = play_count + @played`,
      )
      .run({ user: userId, item: itemId, played: countPlay ? 1 : 0, pos: positionTicks, date });
  }
}
