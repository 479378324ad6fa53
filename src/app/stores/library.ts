/**
 * Library browsing state: the user's views and paged children of a folder. Pages are kept per folder so
 * going back to a list shows what was loaded (and where "Load more" left off) without refetching.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { BaseItemDto } from '../../shared/api/items';
import { getChildren, getViews } from '../api/library';
import { useSessionStore } from './session';

export const PAGE_SIZE = 60;

export interface FolderPage {
  items: BaseItemDto[];
  total: number;
  loading: boolean;
  error?: string;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const useLibraryStore = defineStore('library', () => {
  const session = useSessionStore();
  const views = ref<BaseItemDto[]>([]);
  const viewsLoading = ref(false);
  const viewsError = ref<string>();
  const folders = ref<Record<string, FolderPage>>({});

  async function loadViews(): Promise<void> {
    const api = session.api;
    const userId = session.active?.userId;
    if (!api || !userId) return;
    viewsLoading.value = true;
    viewsError.value = undefined;
    try {
      views.value = (await getViews(api, userId)).Items;
    } catch (err) {
      if (!session.handleUnauthorized(err)) viewsError.value = message(err);
    } finally {
      viewsLoading.value = false;
    }
  }

  /** Loads the next page of a folder (the first when nothing is loaded yet). */
  async function loadMore(parentId: string): Promise<void> {
    const api = session.api;
    const userId = session.active?.userId;
    if (!api || !userId) return;
    if (!folders.value[parentId]) folders.value[parentId] = { items: [], total: 0, loading: false };
    // Read back through the reactive proxy: mutating the plain object just assigned would not re-render.
    const page = folders.value[parentId];
    if (page.loading) return;
    page.loading = true;
    page.error = undefined;
    try {
      const result = await getChildren(api, userId, { parentId, startIndex: page.items.length, limit: PAGE_SIZE });
      page.items = [...page.items, ...result.Items];
      page.total = result.TotalRecordCount;
    } catch (err) {
      if (!session.handleUnauthorized(err)) page.error = message(err);
    } finally {
      page.loading = false;
    }
  }

  function folder(parentId: string): FolderPage | undefined {
    return folders.value[parentId];
  }

  /** A view's name without another request, when we came from Home. */
  function knownItem(id: string): BaseItemDto | undefined {
    return (
      views.value.find((v) => v.Id === id) ??
      Object.values(folders.value)
        .flatMap((f) => f.items)
        .find((i) => i.Id === id)
    );
  }

  function reset(): void {
    views.value = [];
    folders.value = {};
    viewsError.value = undefined;
  }

  return { views, viewsLoading, viewsError, folders, loadViews, loadMore, folder, knownItem, reset };
});
