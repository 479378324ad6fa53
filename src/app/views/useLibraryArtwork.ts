/**
 * Artwork for Home's library row: a library without an image of its own shows a collage of the posters of
 * its newest items (Latest, four of them) instead of a grey tile with a letter; and the user's camera
 * uploads, when there are any, get a tile of their own that opens the Camera uploads view.
 */
import { ref, watch, type Ref } from 'vue';
import type { BaseItemDto } from '../../shared/api/items';
import { getCameraUploads, getLatest, imageUrl, posterSource } from '../api/library';
import { useSessionStore } from '../stores/session';

const COLLAGE = 4;
const WIDTH = 240;

export function useLibraryArtwork(views: Ref<readonly BaseItemDto[]>) {
  const session = useSessionStore();
  const collages = ref<Record<string, string[]>>({});
  const cameraUploads = ref<{ count: number; posters: string[] }>();

  function urls(items: readonly BaseItemDto[]): string[] {
    const api = session.api;
    if (!api) return [];
    const seen = new Set<string>();
    const out: string[] = [];
    for (const item of items) {
      const source = posterSource(item);
      if (!source || seen.has(source.itemId)) continue;
      seen.add(source.itemId);
      out.push(imageUrl(api, source, WIDTH));
      if (out.length === COLLAGE) break;
    }
    return out;
  }

  async function load(list: readonly BaseItemDto[]): Promise<void> {
    const api = session.api;
    const userId = session.active?.userId;
    if (!api || !userId || list.length === 0) return;
    const wanted = list.filter((v) => !v.ImageTags?.Primary && !collages.value[v.Id]);
    const [latest, uploads] = await Promise.all([
      Promise.all(wanted.map((v) => getLatest(api, userId, v.Id, COLLAGE * 2).catch(() => [] as BaseItemDto[]))),
      getCameraUploads(api, userId, 0, COLLAGE).catch(() => undefined),
    ]);
    const next = { ...collages.value };
    wanted.forEach((v, i) => (next[v.Id] = urls(latest[i] ?? [])));
    collages.value = next;
    cameraUploads.value =
      uploads && uploads.TotalRecordCount > 0 ? { count: uploads.TotalRecordCount, posters: urls(uploads.Items) } : undefined;
  }

  watch(views, (list) => void load(list), { immediate: true });
  return { collages, cameraUploads };
}
