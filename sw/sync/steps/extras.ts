/** Step 4, after the media: posters and subtitle sidecars into Cache Storage (small files). */
import { offlineImageUrl, offlineSubtitleUrl, type LocalItem } from '../../db';
import { wantedImages, wantedSubtitles } from '../localItem';
import type { ApiPort, StoragePort } from '../ports';

/** What is cached already (a poster shared by a series' episodes) is not fetched again. */
export async function storeExtras(storage: StoragePort, api: ApiPort, item: LocalItem): Promise<LocalItem> {
  const images: string[] = [];
  for (const { itemId, tag } of wantedImages(item)) {
    const url = offlineImageUrl(item.ServerId, itemId);
    if (!(await storage.hasCached(url))) {
      const blob = await api.fetchImage(itemId, 'Primary', tag);
      if (!blob) continue;
      await storage.putCached(url, blob, blob.type || 'image/jpeg');
    }
    images.push(`${itemId}/Primary`);
  }
  const subtitles: LocalItem['Subtitles'] = [];
  for (const file of wantedSubtitles(item)) {
    const url = offlineSubtitleUrl(item.Id, file.Name);
    if (!(await storage.hasCached(url))) {
      const blob = await api.fetchAdditionalFile(item.SyncJobItemId, file.Name);
      await storage.putCached(url, blob, 'text/vtt; charset=utf-8');
    }
    subtitles.push(file);
  }
  return { ...item, Images: images, Subtitles: subtitles };
}
