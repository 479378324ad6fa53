/**
 * The per-user "Camera uploads" view (ours): what a user uploaded, as library items, newest first and
 * paged. Which items those are comes from the uploads read model (uploadedItemsRepo.ts); whose library
 * and what the user may see, and the DTOs, from the library's own browser — so the rules are the same as
 * for `/Users/{uid}/Items`.
 */
import type { BaseItemDto, QueryResult } from '../../shared/api/items.js';
import type { LibraryActor } from '../library/viewer.js';
import type { UploadedItemsPage } from './uploadedItemsRepo.js';

export interface UploadedItemsPort {
  page(userId: string, startIndex: number, limit: number): UploadedItemsPage;
}

export interface LibraryPort {
  viewer(actor: LibraryActor, rawUserId: string | undefined): { id: string };
  list(actor: LibraryActor, rawUserId: string | undefined, q: { ids: string[]; fields?: readonly string[] }): QueryResult<BaseItemDto>;
}

export class CameraUploadsLibrary {
  constructor(private readonly d: { uploaded: UploadedItemsPort; library: LibraryPort }) {}

  list(
    actor: LibraryActor,
    rawUserId: string,
    q: { startIndex?: number; limit?: number; fields?: readonly string[] },
  ): QueryResult<BaseItemDto> {
    const user = this.d.library.viewer(actor, rawUserId);
    const start = q.startIndex ?? 0;
    const page = this.d.uploaded.page(user.id, start, q.limit ?? -1);
    const found = page.ids.length ? this.d.library.list(actor, user.id, { ids: page.ids, fields: q.fields }).Items : [];
    // The library lists them in its own order; the view is newest first.
    const byId = new Map(found.map((i) => [i.Id, i]));
    const items = page.ids.map((id) => byId.get(id)).filter((i): i is BaseItemDto => i !== undefined);
    return { Items: items, TotalRecordCount: page.total, StartIndex: start };
  }
}
