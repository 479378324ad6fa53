/** What the person asked to sync: some items, or a moving category of a view (API.md §5.2). */
import type { BaseItemDto } from '../../shared/api/items';
import type { SyncCategory } from '../../shared/api/sync';

export interface SyncSelection {
  itemIds: string[];
  category?: SyncCategory;
  /** The view a category (or an item-by-name) is scoped to. */
  parentId?: string;
  /** Words for the dialog title: "Big Buck Test", "2 items", "Next Up – TV". */
  label: string;
}

export const CATEGORY_LABELS: Record<SyncCategory, string> = {
  Latest: 'Latest',
  NextUp: 'Next Up',
  Resume: 'Continue watching',
};

export function itemsSelection(items: readonly BaseItemDto[], parentId?: string): SyncSelection {
  return {
    itemIds: items.map((i) => i.Id),
    parentId,
    label: items.length === 1 ? items[0]!.Name : `${items.length} items`,
  };
}

export function categorySelection(category: SyncCategory, view: Pick<BaseItemDto, 'Id' | 'Name'>): SyncSelection {
  return { itemIds: [], category, parentId: view.Id, label: `${CATEGORY_LABELS[category]} – ${view.Name}` };
}
