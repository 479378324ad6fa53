import { describe, expect, it } from 'vitest';
import type { CredentialRow, LocalItem } from '../../../sw/db';
import { groupByServer, viewersByServer, visibleItems } from '../../../src/app/offline/library';
import { describeItemSync, syncProgressText } from '../../../src/shared/syncProgress';
import { makeCredential, verifyCredential } from '../../../src/app/offline/offlineSignIn';

const item = (id: string, serverId: string, users: string[], bytes = 10): LocalItem =>
  ({
    Id: id,
    ServerId: serverId,
    UserIdsWithAccess: users,
    bytes,
    Item: { Id: id, Name: id },
  }) as unknown as LocalItem;

describe('offline library per user and server', () => {
  const items = [item('film', 'home', ['parent']), item('cartoon', 'home', ['parent', 'kid']), item('friends', 'away', ['me'], 5)];

  it('shows each user only what ItemUserAccess allows them', () => {
    const sessions = [
      { serverId: 'home', userId: 'parent' },
      { serverId: 'home', userId: 'kid' },
      { serverId: 'away', userId: 'me' },
    ];
    const kid = visibleItems(items, viewersByServer(sessions, sessions[1]));
    expect(kid.map((i) => i.Id)).toEqual(['cartoon', 'friends']);
    const parent = visibleItems(items, viewersByServer(sessions, sessions[0]));
    expect(parent.map((i) => i.Id)).toEqual(['film', 'cartoon', 'friends']);
    expect(visibleItems(items, viewersByServer([], undefined))).toEqual([]);
  });

  it("groups by server with each server's storage, counting every user's downloads", () => {
    const groups = groupByServer(
      items.slice(1),
      items,
      new Map([
        ['home', 'home:8096'],
        ['away', 'away:8096'],
      ]),
    );
    expect(groups.map((g) => [g.title, g.items.length, g.bytes])).toEqual([
      ['home:8096', 1, 20],
      ['away:8096', 1, 5],
    ]);
  });
});

describe('offline sign-in verifier', () => {
  it('verifies the right password, refuses a wrong one, and never holds the password', async () => {
    const owner = {
      serverUrl: 'http://a',
      serverId: 's',
      userId: 'u',
      userName: 'kid',
      deviceId: 'd',
    };
    const row: CredentialRow = await makeCredential(owner, 'kid-secret', 1000);
    expect(JSON.stringify(row)).not.toContain('kid-secret');
    expect(await verifyCredential(row, 'kid-secret')).toBe(true);
    expect(await verifyCredential(row, 'kid-secreT')).toBe(false);
    const again = await makeCredential(owner, 'kid-secret', 1000);
    expect(again.verifier).not.toBe(row.verifier); // salted
  });
});

describe('the words of a row on "On this device" (the shared progress model)', () => {
  it.each([
    [['synced', undefined, 10, 10, false], 'On this device'],
    [['media', 'user', 25, 100, false], 'Paused at 25 B of 100 B'],
    [['media', 'quota', 50, 100, false], 'Stopped: storage full at 50 B of 100 B'],
    [['media', 'error', 10, 100, false], 'Waiting to retry at 10 B of 100 B'],
    [['media', undefined, 0, 100, false], 'Ready to download · 100 B'],
    [['media', undefined, 40, 100, false], 'Downloading 40 B of 100 B'],
    [['media', undefined, 40, 100, true], 'Downloading in the background 40 B of 100 B'],
    [['extras', undefined, 100, 100, false], 'Finishing…'],
  ] as const)('%j → %s', ([step, blocked, bytes, size, byBrowser], text) => {
    expect(syncProgressText(describeItemSync(undefined, { step, blocked, bytes, size, byBrowser }), { thisDevice: true })).toBe(text);
  });
});
