import { describe, expect, it } from 'vitest';
import { MAX_TICKS } from '../../../src/shared/api/items.js';
import type { FolderStats, ItemRow } from '../../../src/server/library/itemsRepo.js';
import type { UserDataRow } from '../../../src/server/userdata/userDataRepo.js';
import { UserDataService, type UserDataChangedEvent, type UserDataStore } from '../../../src/server/userdata/userDataService.js';
import { FakeCatalog, aUser, anItemRow, errorOf, snapshotTransaction } from '../library/fakeItems.js';

const MINUTE = 60 * 10_000_000;

/** user_data rows in a map keyed by user and item, written the way the SQL repository does. */
class FakeUserData implements UserDataStore {
  rows = new Map<string, UserDataRow>();
  private key = (u: string, i: string) => `${u}|${i}`;
  private row(userId: string, itemId: string): UserDataRow {
    return (
      this.rows.get(this.key(userId, itemId)) ?? {
        user_id: userId,
        item_id: itemId,
        played: 0,
        play_count: 0,
        playback_position_ticks: 0,
        last_played_date: null,
        is_favorite: 0,
      }
    );
  }
  get = (userId: string, itemId: string) => this.rows.get(this.key(userId, itemId));
  markPlayed(userId: string, itemIds: readonly string[], date: string) {
    for (const id of itemIds) {
      const r = this.row(userId, id);
      this.rows.set(this.key(userId, id), {
        ...r,
        played: 1,
        play_count: r.play_count + 1,
        playback_position_ticks: 0,
        last_played_date: date,
      });
    }
  }
  markUnplayed(userId: string, itemIds: readonly string[]) {
    for (const id of itemIds) {
      const r = this.row(userId, id);
      this.rows.set(this.key(userId, id), { ...r, played: 0, play_count: 0, playback_position_ticks: 0, last_played_date: null });
    }
  }
  setFavorite(userId: string, itemId: string, favorite: boolean) {
    this.rows.set(this.key(userId, itemId), { ...this.row(userId, itemId), is_favorite: favorite ? 1 : 0 });
  }
  setPosition(userId: string, itemId: string, pos: number, date: string, countPlay: boolean) {
    const r = this.row(userId, itemId);
    this.rows.set(this.key(userId, itemId), {
      ...r,
      playback_position_ticks: pos,
      last_played_date: date,
      played: Math.max(r.played, countPlay ? 1 : 0),
      play_count: r.play_count + (countPlay ? 1 : 0),
    });
  }
}

function setup() {
  const catalog = new FakeCatalog();
  const repo = new FakeUserData();
  const children = new Map<string, ItemRow[]>();
  const tx = snapshotTransaction(() => {
    const saved = new Map(repo.rows);
    return () => void (repo.rows = saved);
  });
  const service = new UserDataService({
    repo,
    users: catalog.userLookup,
    transaction: tx.run,
    items: {
      get: catalog.get,
      getVisible: catalog.getVisible,
      playableDescendants: (_userId, folder) => children.get(folder.id) ?? [],
      folderStats: (userId, folders) =>
        new Map<string, FolderStats>(
          folders.map((f) => {
            const kids = children.get(f.id) ?? [];
            const played = kids.filter((k) => repo.get(userId, k.id)?.played).length;
            return [f.id, { childCount: kids.length, recursiveCount: kids.length, playedCount: played }];
          }),
        ),
    },
  });
  const events: UserDataChangedEvent[] = [];
  service.on('userDataChanged', (e) => events.push(e));
  const ann = catalog.add(aUser('ann'));
  const actor = { user: ann, deviceId: 'phone' };
  return { catalog, repo, children, service, events, ann, actor, tx };
}

describe('played and favourites', () => {
  it('marks an item played in one transaction, tells listeners, and answers the new user data', () => {
    const w = setup();
    const movie = w.catalog.add(anItemRow({ name: 'Alien' }));
    const dto = w.service.markPlayed(w.actor, w.ann.id, movie.id, '2024-05-01T10:00:00Z');
    expect(dto).toMatchObject({ Played: true, PlayCount: 1, LastPlayedDate: '2024-05-01T10:00:00.000Z', Key: movie.id });
    expect(w.tx.count()).toBe(1);
    expect(w.events).toEqual([{ userId: w.ann.id, itemIds: [movie.id] }]);
    expect(w.service.markUnplayed(w.actor, w.ann.id, movie.id)).toMatchObject({ Played: false, PlayCount: 0 });
  });

  it('marks every playable item under a folder, and the folder reads as played', () => {
    const w = setup();
    const series = w.catalog.add(anItemRow({ name: 'Show', type: 'Series', is_folder: 1, media_type: null, path: null }));
    const eps = [1, 2].map((i) => w.catalog.add(anItemRow({ name: `Ep ${i}`, type: 'Episode', series_id: series.id })));
    w.children.set(series.id, eps);
    const dto = w.service.markPlayed(w.actor, w.ann.id, series.id);
    expect(dto).toMatchObject({ Played: true, UnplayedItemCount: 0 });
    expect(w.events[0]!.itemIds).toEqual(eps.map((e) => e.id));
  });

  it('acts for another user only as an administrator, and treats a hidden item as unknown', () => {
    const w = setup();
    const bob = w.catalog.add(aUser('bob'));
    const root = w.catalog.add(aUser('root', { IsAdministrator: true }));
    const movie = w.catalog.add(anItemRow({ name: 'Brazil' }));
    const bobsPhoto = w.catalog.add(anItemRow({ name: 'Beach', type: 'Photo', owner_user_id: bob.id }));
    expect(errorOf(() => w.service.setFavorite(w.actor, bob.id, movie.id, true))).toBe('Forbidden:Forbidden');
    expect(w.service.setFavorite({ user: root, deviceId: 'pc' }, bob.id, movie.id, true)).toMatchObject({ IsFavorite: true });
    expect(errorOf(() => w.service.markPlayed(w.actor, w.ann.id, bobsPhoto.id))).toBe('NotFound:NotFound');
    expect(errorOf(() => w.service.markPlayed(w.actor, w.ann.id, 'not-an-id'))).toBe('NotFound:NotFound');
    expect(w.repo.get(w.ann.id, bobsPhoto.id)).toBeUndefined();
  });
});

describe('playback reports', () => {
  it('keeps a progress position without counting a play, bounded, and ignores a missing one', () => {
    const w = setup();
    const movie = w.catalog.add(anItemRow({ name: 'Zodiac' }));
    w.service.reportProgress(w.actor, { ItemId: movie.id, PositionTicks: 20 * MINUTE + 0.4 });
    expect(w.repo.get(w.ann.id, movie.id)).toMatchObject({ playback_position_ticks: 20 * MINUTE, play_count: 0 });
    w.service.reportProgress(w.actor, { ItemId: movie.id, PositionTicks: 1e300 });
    expect(w.repo.get(w.ann.id, movie.id)!.playback_position_ticks).toBe(MAX_TICKS);
    const before = w.events.length;
    w.service.reportProgress(w.actor, { ItemId: movie.id });
    w.service.reportProgress(w.actor, { ItemId: movie.id, PositionTicks: -5 });
    expect(w.events.length).toBe(before);
  });

  it('applies the resume rules when playback stops', () => {
    const w = setup();
    const movie = w.catalog.add(anItemRow({ name: 'Matrix' }));
    expect(w.service.reportStopped(w.actor, { ItemId: movie.id, PositionTicks: 4 * MINUTE })).toMatchObject({
      Played: false,
      PlaybackPositionTicks: 0,
    });
    expect(w.service.reportStopped(w.actor, { ItemId: movie.id, PositionTicks: 50 * MINUTE })).toMatchObject({
      PlaybackPositionTicks: 50 * MINUTE,
    });
    expect(w.service.reportStopped(w.actor, { ItemId: movie.id, PositionTicks: 95 * MINUTE })).toMatchObject({
      Played: true,
      PlayCount: 1,
    });
  });

  it('lets offline actions apply positions to any item by id, skipping unknown ones and ending at non-finite ones', () => {
    const w = setup();
    const movie = w.catalog.add(anItemRow({ name: 'Heat' }));
    expect(w.service.applyPlayedPosition(w.ann.id, 'f'.repeat(32), 1, new Date())).toBeUndefined();
    expect(w.service.applyPlayedPosition(w.ann.id, movie.id, Infinity, '2024-02-02T00:00:00Z')).toMatchObject({
      Played: true,
      PlaybackPositionTicks: 0,
    });
  });

  it('refuses reports about items the caller may not see', () => {
    const w = setup();
    const bob = w.catalog.add(aUser('bob'));
    const hidden = w.catalog.add(anItemRow({ name: 'Private', owner_user_id: bob.id }));
    expect(errorOf(() => w.service.reportStart(w.actor, { ItemId: hidden.id }))).toBe('NotFound:NotFound');
    expect(errorOf(() => w.service.reportProgress(w.actor, { ItemId: hidden.id, PositionTicks: 1 }))).toBe('NotFound:NotFound');
    expect(errorOf(() => w.service.reportStopped(w.actor, { ItemId: hidden.id }))).toBe('NotFound:NotFound');
    expect(w.events).toEqual([]);
  });
});
