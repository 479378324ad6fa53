/**
 * The original media file behind `/Videos/{id}/stream`, `/Audio/{id}/stream` and `/Items/{id}/Download`:
 * only for a caller who may see the item (404 otherwise), only a real file (not a folder key), and a
 * download only with `EnableContentDownloading`.
 */
import fs from 'node:fs';
import { forbidden, notFound } from '../errors.js';
import { bareFileName, hasMediaFile } from './itemDto.js';
import { visibleItemOf, type LibraryActor, type VisibleItems } from './viewer.js';

export interface MediaFile {
  itemId: string;
  path: string;
  size: number;
  modified: Date;
  container: string | null;
  mediaType: string | null;
  /** The bare file name, for a download's Content-Disposition. */
  downloadName?: string;
}

export class MediaFiles {
  constructor(private readonly items: VisibleItems) {}

  async original(actor: LibraryActor, rawItemId: string, opts: { download: boolean }): Promise<MediaFile> {
    const user = actor.user;
    if (opts.download && !user.policy.EnableContentDownloading) throw forbidden('Downloading is not enabled for this user');
    const item = visibleItemOf(this.items, user.id, rawItemId);
    if (!hasMediaFile(item)) throw notFound('This item has no media file');
    const file = item.path!;
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (!stat?.isFile()) throw notFound('The media file is missing');
    return {
      itemId: item.id,
      path: file,
      size: stat.size,
      modified: stat.mtime,
      container: item.container,
      mediaType: item.media_type,
      downloadName: opts.download ? bareFileName(file) : undefined,
    };
  }
}
