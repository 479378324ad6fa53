import { describe, expect, it } from 'vitest';
import type { SyncDataRequest } from '../../../src/shared/api/sync';
import { SyncLoop } from '../../../sw/sync/syncLoop';
import { FakeClock, FakeServer, FakeStorage, RecordingNotifier, SERVER_ID, USER_ID } from './fakes';

describe('OfflineUserIds', () => {
  it('names the signed-in users and the users who can sign in offline here, once each', async () => {
    const server = new FakeServer();
    const requests: SyncDataRequest[] = [];
    const syncData = server.syncData.bind(server);
    server.syncData = async (req) => {
      requests.push(req);
      return syncData(req);
    };
    const storage = Object.assign(new FakeStorage(), {
      offlineUserIds: async (serverId: string) => (serverId === SERVER_ID ? ['kid', USER_ID] : ['stranger']),
    });
    const loop = new SyncLoop({ storage, clock: new FakeClock(), notifier: new RecordingNotifier(), apiFor: () => server });
    await loop.run({ reason: 'test' });
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) expect(r.OfflineUserIds).toEqual([USER_ID, 'kid']);
  });
});
