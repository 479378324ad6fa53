/**
 * One browser, several users of one server (a family tablet): they share the DeviceId, and the server
 * answers each of them only about what they may see themselves (a DeviceId is not a credential). The loop
 * must get every signed-in user's downloads whichever session the device happens to list first — IndexedDB
 * lists them by key, `${serverId}/${userId}`, so the order follows random user ids.
 */
import { describe, expect, it } from 'vitest';
import type { ServerRow } from '../../../sw/db';
import { ItemControls } from '../../../sw/sync/itemControls';
import { PauseState } from '../../../sw/sync/runScheduler';
import { SyncLoop } from '../../../sw/sync/syncLoop';
import {
  aReadyItem,
  CallerView,
  DEVICE,
  FakeClock,
  FakeControlStorage,
  FakeServer,
  RecordingNotifier,
  SERVER_ID,
  USER_ID,
  type ServerItem,
} from './fakes';

const PARENT = USER_ID;
const KID = 'c'.repeat(32);
const CHUNK = 4096;

const sessionOf = (userId: string, userName: string): ServerRow => ({
  key: `${SERVER_ID}/${userId}`,
  serverUrl: 'http://server',
  serverId: SERVER_ID,
  userId,
  userName,
  token: `token-${userName}`,
  deviceId: DEVICE,
});
const parentSession = sessionOf(PARENT, 'parent');
const kidSession = sessionOf(KID, 'kid');

function anItemOf(userId: string, name: string, size = 3 * CHUNK + 10): ServerItem {
  const item = aReadyItem(name, size);
  item.ready.UserId = userId;
  return item;
}

/**
 * The parent's private film and a movie the kid's library access leaves out, and the kid's episode from
 * a library both may see.
 */
function family(sessions: ServerRow[]) {
  const server = new FakeServer();
  const film = anItemOf(PARENT, 'family-film');
  const movie = anItemOf(PARENT, 'Short Hop');
  const episode = anItemOf(KID, 'Hello');
  const kidOnly = new Set<string>();
  const parentOnly = new Set([film.ready.Item.Id, movie.ready.Item.Id]);
  server.visibleTo = (userId, itemId) => (userId === KID ? !parentOnly.has(itemId) : !kidOnly.has(itemId));
  server.items.push(film, movie, episode);
  const storage = new FakeControlStorage();
  storage.servers = sessions;
  storage.settingsValue.chunkSize = CHUNK;
  const views = new Map([
    [PARENT, new CallerView(server, PARENT)],
    [KID, new CallerView(server, KID)],
  ]);
  const apiFor = (s: ServerRow) => views.get(s.userId)!;
  const notifier = new RecordingNotifier();
  const loop = new SyncLoop({ storage, clock: new FakeClock(), notifier, apiFor });
  const local = (it: ServerItem) => storage.items.get(`${SERVER_ID}_${it.ready.SyncJobItemId}`);
  return { server, storage, loop, views, apiFor, notifier, film, movie, episode, kidOnly, local };
}

/** The connection drops once `bytes` of the item's file are through (one run's worth). */
function cutFileAt(server: FakeServer, it: ServerItem, bytes: number): () => void {
  const fetchFile = server.fetchFile.bind(server);
  server.fetchFile = async (...args) => {
    const res = await fetchFile(...args);
    if (args[0] !== it.ready.SyncJobItemId || args[1] < bytes) return res;
    return { ...res, blob: () => Promise.reject(new TypeError('network gone')) };
  };
  return () => (server.fetchFile = fetchFile);
}

describe('a device shared by several users of one server', () => {
  it('downloads every user’s items whichever of their sessions is listed first', async () => {
    for (const sessions of [
      [kidSession, parentSession],
      [parentSession, kidSession],
    ]) {
      const { server, loop, film, movie, episode, local } = family(sessions);

      const summary = await loop.run({ reason: 'test' });

      expect(summary.errors).toEqual([]);
      expect(server.items.map((i) => i.status)).toEqual(['Synced', 'Synced', 'Synced']);
      expect([film, movie, episode].map((i) => local(i)?.step)).toEqual(['synced', 'synced', 'synced']);
      // Who may see what offline comes from the answer of a user who may see the item.
      expect(local(film)?.UserIdsWithAccess).toEqual([PARENT]);
      expect(local(episode)?.UserIdsWithAccess).toEqual([PARENT, KID].sort());
      // Each file went out as its owner: the kid asking for the parent's would have been refused.
      const fetchedBy = (it: ServerItem) => new Set(server.callers.filter((c) => c.startsWith(`file ${it.ready.SyncJobItemId}:`)));
      expect(fetchedBy(film)).toEqual(new Set([`file ${film.ready.SyncJobItemId}:${PARENT}`]));
      expect(fetchedBy(episode)).toEqual(new Set([`file ${episode.ready.SyncJobItemId}:${KID}`]));
    }
  });

  it('keeps a half-downloaded item of one user when another user signs in beside them', async () => {
    const { server, storage, loop, movie, local } = family([parentSession]);
    server.items = [movie];
    storage.settingsValue.retries = 1;
    const restore = cutFileAt(server, movie, CHUNK);
    await loop.run({ reason: 'cut' });
    restore();
    expect(local(movie)).toMatchObject({ step: 'media', bytes: CHUNK });

    storage.servers = [kidSession, parentSession];
    await loop.run({ reason: 'the kid signed in too' });

    expect(local(movie)?.step).toBe('synced');
    expect(server.items[0]!.status).toBe('Synced');
  });

  it('sends each user’s offline plays as that user, so none is skipped as not the sender’s to see', async () => {
    const { server, storage, loop, film, episode } = family([kidSession, parentSession]);
    await loop.run({ reason: 'download' });
    const action = (userId: string, it: ServerItem, date: string) => ({
      Id: `${userId}-${date}`,
      ServerId: SERVER_ID,
      UserId: userId,
      ItemId: it.ready.Item.Id,
      Type: 'PlayedItem' as const,
      Date: date,
    });
    storage.outboxRows = [action(PARENT, film, '2026-01-02T00:00:00Z'), action(KID, episode, '2026-01-01T00:00:00Z')];

    const summary = await loop.run({ reason: 'back online' });

    expect(summary.actionsSent).toBe(2);
    expect(server.actionsApplied.map((a) => a.UserId)).toEqual([KID, PARENT]);
    expect(server.callers).toContain(`offlineActions:${PARENT}`);
    expect(storage.outboxRows).toEqual([]);
  });

  it('removes a user’s item the server takes back although another user, listed first, may not see it', async () => {
    const { server, storage, loop, film, local } = family([parentSession]);
    await loop.run({ reason: 'download' });
    expect(local(film)?.step).toBe('synced');
    storage.servers = [kidSession, parentSession];
    // An UnwatchedOnly job whose film the parent watched on another device.
    Object.assign(server.items[0]!, { unwatchedOnly: true, played: true });

    const summary = await loop.run({ reason: 'after watching' });

    expect(summary.removed).toBe(1);
    expect(local(film)).toBeUndefined();
  });

  it('carries on with the other users when one session is refused, dropping nothing only that user could see', async () => {
    const { server, storage, loop, views, kidOnly, local } = family([kidSession]);
    const clip = anItemOf(KID, 'kid-clip', 8 * CHUNK);
    kidOnly.add(clip.ready.Item.Id);
    server.items = [clip];
    storage.settingsValue.retries = 1;
    const restore = cutFileAt(server, clip, 2 * CHUNK);
    await loop.run({ reason: 'clip cut' });
    restore();
    expect(local(clip)).toMatchObject({ step: 'media', bytes: 2 * CHUNK });
    const { film, movie, episode } = family([]);
    server.items.push(film, movie, episode);
    storage.servers = [parentSession, kidSession];
    views.get(KID)!.revoked = true;
    const summary = await loop.run({ reason: 'kid token revoked' });

    expect(local(clip)).toMatchObject({ step: 'media', bytes: 2 * CHUNK });
    expect(summary.errors).toEqual([expect.stringContaining('kid: HTTP 401')]);
    expect(server.items.filter((i) => i !== clip).map((i) => i.status)).toEqual(['Synced', 'Synced', 'Synced']);
    expect(storage.runs.at(-1)).toMatchObject({ ok: true });
  });

  it('tells the server of a removal as the user whose item it is', async () => {
    const { server, storage, loop, film, apiFor, notifier } = family([parentSession]);
    await loop.run({ reason: 'download' });
    storage.servers = [kidSession, parentSession];
    const controls = new ItemControls({
      storage,
      notifier,
      pause: new PauseState(),
      scheduler: { request: async () => notifier.summaries[0]! },
      apiFor,
    });

    await controls.remove(`${SERVER_ID}_${film.ready.SyncJobItemId}`);

    expect(server.callers.at(-1)).toBe(`markForRemoval:${PARENT}`);
    expect(server.items.some((i) => i === film)).toBe(false);
  });
});
