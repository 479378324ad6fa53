/**
 * Which stored image answers `GET|HEAD /Items/{id}/Images/{type}` for a viewer. An image shows its item
 * (a Photo's image is the original file), so it follows the item's visibility exactly as
 * `/Users/{uid}/Items/{id}` does (`itemVisibility.ts`): an item the viewer may not see, an unknown item and
 * an item without that image all answer the same "not found" — item ids are derived from paths and can be
 * guessed, so a different answer would confirm that a hidden item exists.
 */
import { notFound } from '../errors.js';
import { normalizeId } from '../ids.js';
import type { ItemRow } from './itemsRepo.js';

/** The read port: an item if the user may see it (`ItemsRepo` fits). */
export interface VisibleItemLookup {
  getVisible(userId: string, id: string): ItemRow | undefined;
}

export interface VisibleImage {
  itemId: string;
  path: string;
  /** A hash of the image's bytes: a URL carrying the current tag names immutable content. */
  tag: string;
}

export class ItemImages {
  constructor(private readonly items: VisibleItemLookup) {}

  /** The item's image of `type` if `viewerId` may see the item; NotFound otherwise. */
  visibleImage(viewerId: string, rawItemId: string, type: string): VisibleImage {
    const id = normalizeId(rawItemId);
    // Only Primary is stored; Backdrop, Logo… are honestly absent rather than a stand-in.
    const item = id && type.toLowerCase() === 'primary' ? this.items.getVisible(viewerId, id) : undefined;
    if (!item?.image_path || !item.image_tag) throw notFound('Image not found');
    return { itemId: item.id, path: item.image_path, tag: item.image_tag };
  }
}
