/** Numbers as people read them. Pure, so views stay declarative. */
import { TICKS_PER_SECOND, type BaseItemDto } from '../shared/api/items';

export function formatRuntime(ticks: number | undefined): string | undefined {
  if (!ticks || ticks <= 0) return undefined;
  const totalSeconds = Math.round(ticks / TICKS_PER_SECOND);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return s > 0 && m < 10 ? `${m}:${String(s).padStart(2, '0')}` : `${m} min`;
  return `0:${String(s).padStart(2, '0')}`;
}

/** One formatter for sizes, shared with the sync progress words (src/shared/syncProgress.ts). */
export { formatBytes } from '../shared/formatBytes';

/**
 * Bitrates with the precision that tells two apart: "12 Mbps", "4.5 Mbps", "0.35 Mbps" (a cap a person
 * typed must not come back rounded to "0.4"), and kbps below 0.1 Mbps (audio: "128 kbps").
 */
export function formatBitrate(bps: number | undefined): string | undefined {
  if (!bps || bps <= 0) return undefined;
  if (bps < 100_000) return `${Math.round(bps / 1000)} kbps`;
  const mbps = bps / 1_000_000;
  const digits = mbps >= 10 ? 0 : mbps >= 1 ? 1 : 2;
  return `${Number(mbps.toFixed(digits))} Mbps`;
}

/** "S1, E2" for episodes, the year for films, the artist for albums: the line under a poster's title. */
export function itemSubtitle(item: BaseItemDto): string | undefined {
  if (item.Type === 'Episode') {
    const s = item.ParentIndexNumber;
    const e = item.IndexNumber;
    return s !== undefined && e !== undefined ? `S${s}, E${e}` : item.SeriesName;
  }
  if (item.Type === 'MusicAlbum' || item.Type === 'Audio') return item.AlbumArtist ?? item.Artists?.[0];
  if (item.Type === 'Season') return item.SeriesName;
  if (item.Type === 'CollectionFolder') return undefined;
  return item.ProductionYear ? String(item.ProductionYear) : undefined;
}
