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

export function formatBytes(bytes: number | undefined): string | undefined {
  if (bytes === undefined || bytes < 0) return undefined;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

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

/** English plurals for the words the app counts; anything else takes an "s". */
const PLURALS: Record<string, string> = { copy: 'copies', play: 'plays', 'offline play': 'offline plays' };

/** "1 item", "4 items", "0 items": a count with its noun, never "item(s)". */
export function countOf(n: number, noun: string, plural = PLURALS[noun] ?? `${noun}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? noun : plural}`;
}

/** The verb that goes with a count: "1 item is", "4 items are". */
export function isAre(n: number): 'is' | 'are' {
  return n === 1 ? 'is' : 'are';
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
