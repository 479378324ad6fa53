/** user_data row (+ folder counts) → Emby's UserItemDataDto. */
import type { UserItemDataDto } from '../../shared/api/items.js';
import type { FolderStats, ItemRow } from '../library/itemsRepo.js';
import type { UserDataRow } from './userDataRepo.js';

export function toUserItemDataDto(
  item: Pick<ItemRow, 'id' | 'is_folder' | 'run_time_ticks'>,
  data: UserDataRow | undefined,
  folder?: FolderStats,
): UserItemDataDto {
  const dto: UserItemDataDto = {
    PlaybackPositionTicks: data?.playback_position_ticks ?? 0,
    PlayCount: data?.play_count ?? 0,
    IsFavorite: !!data?.is_favorite,
    Played: !!data?.played,
    Key: item.id,
  };
  if (data?.last_played_date) dto.LastPlayedDate = data.last_played_date;
  if (item.is_folder && folder) {
    const unplayed = folder.recursiveCount - folder.playedCount;
    dto.UnplayedItemCount = unplayed;
    // A folder is played when everything in it is; its percentage is the share of played items.
    dto.Played = folder.recursiveCount > 0 && unplayed === 0;
    if (folder.recursiveCount > 0 && folder.playedCount > 0) {
      dto.PlayedPercentage = (folder.playedCount / folder.recursiveCount) * 100;
    }
  } else if (dto.PlaybackPositionTicks > 0 && item.run_time_ticks) {
    dto.PlayedPercentage = Math.min(100, (dto.PlaybackPositionTicks / item.run_time_ticks) * 100);
  }
  return dto;
}
