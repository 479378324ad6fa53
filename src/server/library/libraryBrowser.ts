/**
 * Browsing the library as Emby clients do (`/Users/{uid}/Items`, Views, Latest, Resume, Next Up, seasons,
 * episodes, items-by-name, playlist contents): whose library (`viewerFor`), which items that user may see
 * (the repository's visibility rule), and the DTOs for them. Routes hand in parsed queries; the answers are
 * wire-ready pages.
 */
import type { BaseItemDto, QueryResult } from '../../shared/api/items.js';
import type { UserRecord } from '../auth/usersRepo.js';
import { notFound } from '../errors.js';
import { latestGrouped, latestItems, nextUpEpisodes, resumeItems, type CategoryQuery, type CategorySource } from './categories.js';
import { ALL_FIELDS, parseFields, type DtoContext } from './itemDto.js';
import type { ByNameCounts, ItemQuery, ItemQueryResult, ItemRow } from './itemsRepo.js';
import type { ByNameType } from './itemTypes.js';
import { viewerFor, visibleItemOf, type LibraryActor, type UserLookup } from './viewer.js';

/** The read port (`ItemsRepo` fits). */
export interface ItemReads extends CategorySource {
  query(q: ItemQuery): ItemQueryResult;
  views(userId: string): ItemRow[];
  itemsByName(q: ItemQuery & { byNameType: string; linkKinds: string[] }): { rows: Array<ItemRow & ByNameCounts>; total: number };
}

export interface ItemDtoPort {
  toDtos(rows: readonly ItemRow[], ctx: DtoContext): BaseItemDto[];
}

/** A parsed item query without its user (the service decides whose library it reads). */
export type BrowseQuery = Omit<ItemQuery, 'userId'> & { fields?: readonly string[] };

export interface CategoryInput extends Omit<CategoryQuery, 'userId'> {
  fields?: readonly string[];
}

export type Page<T = BaseItemDto> = QueryResult<T>;

/** An items-by-name listing: its type and which links count (album artists are a subset of artists). */
export interface ByNameKind {
  type: ByNameType;
  linkKinds: string[];
}

export class LibraryBrowser {
  constructor(private readonly d: { items: ItemReads; dtos: ItemDtoPort; users: UserLookup }) {}

  /** The user whose library `rawUserId` names, as `viewerFor` rules. */
  viewer(actor: LibraryActor, rawUserId: string | undefined): UserRecord {
    return viewerFor(this.d.users, actor, rawUserId);
  }

  /** An item the user may see; NotFound otherwise. */
  visibleItem(userId: string, rawId: string | undefined): ItemRow {
    return visibleItemOf(this.d.items, userId, rawId);
  }

  list(actor: LibraryActor, rawUserId: string | undefined, q: BrowseQuery): Page {
    const user = this.viewer(actor, rawUserId);
    this.requireParent(user, q.parentId);
    return this.page(actor, user, q, this.d.items.query({ ...q, userId: user.id }));
  }

  views(actor: LibraryActor, rawUserId: string, q: { fields?: readonly string[]; startIndex?: number }): Page {
    const user = this.viewer(actor, rawUserId);
    const rows = this.d.items.views(user.id);
    return this.page(actor, user, q, { rows, total: rows.length });
  }

  /** One item with every field (Emby's single-item answer). */
  item(actor: LibraryActor, rawUserId: string, rawId: string, fields?: readonly string[]): BaseItemDto {
    const user = this.viewer(actor, rawUserId);
    const row = this.visibleItem(user.id, rawId);
    const ctx = this.context(actor, user, fields);
    return this.d.dtos.toDtos([row], { ...ctx, fields: new Set([...ALL_FIELDS, ...ctx.fields]) })[0]!;
  }

  /** Newest media first; grouped into series and albums unless `group` is false. A plain array (Emby's quirk). */
  latest(actor: LibraryActor, rawUserId: string, q: CategoryInput & { limit: number; group: boolean }): BaseItemDto[] {
    const user = this.viewer(actor, rawUserId);
    const query = { ...q, userId: user.id };
    const rows = q.group ? latestGrouped(this.d.items, query) : latestItems(this.d.items, query);
    return this.d.dtos.toDtos(rows, this.context(actor, user, q.fields));
  }

  resume(actor: LibraryActor, rawUserId: string, q: CategoryInput): Page {
    const user = this.viewer(actor, rawUserId);
    return this.page(actor, user, q, resumeItems(this.d.items, { ...q, userId: user.id }));
  }

  nextUp(actor: LibraryActor, rawUserId: string | undefined, q: CategoryInput & { seriesId?: string }): Page {
    const user = this.viewer(actor, rawUserId);
    return this.page(actor, user, q, nextUpEpisodes(this.d.items, { ...q, userId: user.id }));
  }

  /** Seasons (direct children) or episodes (all descendants) of a series the user may see. */
  seriesChildren(actor: LibraryActor, rawUserId: string | undefined, rawSeriesId: string, q: BrowseQuery): Page {
    const user = this.viewer(actor, rawUserId);
    const series = this.visibleItem(user.id, rawSeriesId);
    return this.page(actor, user, q, this.d.items.query({ ...q, userId: user.id, parentId: series.id }));
  }

  itemsByName(actor: LibraryActor, rawUserId: string | undefined, q: BrowseQuery, kind: ByNameKind): Page<BaseItemDto & ByNameDtoCounts> {
    const user = this.viewer(actor, rawUserId);
    this.requireParent(user, q.parentId);
    const { rows, total } = this.d.items.itemsByName({ ...q, userId: user.id, byNameType: kind.type, linkKinds: kind.linkKinds });
    const dtos = this.d.dtos.toDtos(rows, this.context(actor, user, q.fields));
    return { Items: dtos.map((dto, i) => ({ ...dto, ...counts(rows[i]!) })), TotalRecordCount: total, StartIndex: q.startIndex ?? 0 };
  }

  /** A playlist's entries in their order (each with its PlaylistItemId). */
  playlistItems(actor: LibraryActor, rawUserId: string | undefined, rawPlaylistId: string, q: BrowseQuery): Page {
    const user = this.viewer(actor, rawUserId);
    const playlist = this.visibleItem(user.id, rawPlaylistId);
    if (playlist.type !== 'Playlist') throw notFound('Playlist not found');
    return this.page(actor, user, q, this.d.items.query({ ...q, userId: user.id, parentId: playlist.id }));
  }

  /** A ParentId the user may not see is unknown (404), not an empty list. */
  private requireParent(user: UserRecord, parentId: string | undefined): void {
    if (parentId !== undefined) this.visibleItem(user.id, parentId);
  }

  private context(actor: LibraryActor, user: UserRecord, fields: readonly string[] | undefined): DtoContext {
    return { userId: user.id, deviceId: actor.deviceId, fields: parseFields(fields), enableSync: user.policy.EnableSync };
  }

  private page(
    actor: LibraryActor,
    user: UserRecord,
    q: { fields?: readonly string[]; startIndex?: number },
    result: { rows: ItemRow[]; total: number },
  ): Page {
    return {
      Items: this.d.dtos.toDtos(result.rows, this.context(actor, user, q.fields)),
      TotalRecordCount: result.total,
      StartIndex: q.startIndex ?? 0,
    };
  }
}

/** Emby's per-type counts of what an item-by-name holds under the requested scope. */
export interface ByNameDtoCounts {
  ChildCount: number;
  MovieCount: number;
  SeriesCount: number;
  EpisodeCount: number;
  SongCount: number;
  AlbumCount: number;
}

function counts(c: ByNameCounts): ByNameDtoCounts {
  return {
    ChildCount: c.item_count,
    MovieCount: c.movie_count,
    SeriesCount: c.series_count,
    EpisodeCount: c.episode_count,
    SongCount: c.song_count,
    AlbumCount: c.album_count,
  };
}
