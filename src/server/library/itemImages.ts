/**
 * Which file answers `GET|HEAD /Items/{id}/Images/{type}` for a viewer. An image shows its item (a Photo's
 * image is the original file), so it follows the item's visibility exactly as `/Users/{uid}/Items/{id}`
 * does (`itemVisibility.ts`): an item the viewer may not see, an unknown item and an item without that
 * image all answer the same "not found" — item ids are derived from paths and can be guessed, so a
 * different answer would confirm that a hidden item exists.
 */
import fs from 'node:fs';
import { notFound } from '../errors.js';
import { normalizeId } from '../ids.js';
import type { ImageVariantOptions, StoredImage } from './images.js';
import { contentTypeOf } from './images.js';
import type { ItemRow } from './itemsRepo.js';

/** The read port: an item if the user may see it (`ItemsRepo` fits). */
export interface VisibleItemLookup {
  getVisible(userId: string, id: string): ItemRow | undefined;
}

/** Resized copies (`ImageService` fits). */
export interface ImageVariants {
  variant(itemId: string, image: StoredImage, o: ImageVariantOptions): Promise<{ path: string; key: string }>;
}

export interface ImageLog {
  warn(obj: unknown, msg?: string): void;
}

export interface VisibleImage {
  itemId: string;
  path: string;
  /** A hash of the image's bytes: a URL carrying the current tag names immutable content. */
  tag: string;
}

/** The file to send, and what the answer's headers need. */
export interface ImageFile {
  path: string;
  contentType: string;
  /** Names these exact bytes (the variant's key, or the original's tag). */
  etag: string;
  /** The current tag of the item's image: a request that names it may be cached for good. */
  tag: string;
}

export class ItemImages {
  constructor(
    private readonly items: VisibleItemLookup,
    private readonly variants?: ImageVariants,
    private readonly log?: ImageLog,
  ) {}

  /** The item's image of `type` if `viewerId` may see the item; NotFound otherwise. */
  visibleImage(viewerId: string, rawItemId: string, type: string): VisibleImage {
    const id = normalizeId(rawItemId);
    // Only Primary is stored; Backdrop, Logo… are honestly absent rather than a stand-in.
    const item = id && type.toLowerCase() === 'primary' ? this.items.getVisible(viewerId, id) : undefined;
    if (!item?.image_path || !item.image_tag) throw notFound('Image not found');
    return { itemId: item.id, path: item.image_path, tag: item.image_tag };
  }

  /** The file for a visible image at the asked size: a cached variant, or the original when none is asked or one fails. */
  async file(viewerId: string, rawItemId: string, type: string, size: ImageVariantOptions): Promise<ImageFile> {
    const image = this.visibleImage(viewerId, rawItemId, type);
    if (!fs.existsSync(image.path)) throw notFound('Image not found');
    const original = { path: image.path, contentType: contentTypeOf(image.path), etag: `"${image.tag}"`, tag: image.tag };
    if (!this.variants) return original;
    try {
      const v = await this.variants.variant(image.itemId, { path: image.path, tag: image.tag }, size);
      return v.path === image.path ? original : { path: v.path, contentType: 'image/jpeg', etag: `"${v.key}"`, tag: image.tag };
    } catch (err) {
      // A format ffmpeg cannot scale (HEIC on the bundled build): the original beats no image.
      this.log?.warn({ err, id: image.itemId }, 'image resize failed; serving the original');
      return original;
    }
  }
}
