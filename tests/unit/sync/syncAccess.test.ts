import { describe, expect, it } from 'vitest';
import { aProfile } from '../builders.js';
import { anItem } from './fakeLibrary.js';
import { anId, aUser, syncHarness } from './fakes.js';

const MOVIE = anId(1);

describe('SyncAccess', () => {
  it('lets another user of the device fetch an item only if they could see it alone', () => {
    const h = syncHarness();
    const alice = h.signIn(aUser('alice'), 'phone', aProfile());
    const carol = h.signIn(aUser('carol'), 'phone');
    const stranger = h.signIn(aUser('dan'), 'elsewhere');
    h.lib.add(anItem({ id: MOVIE, name: 'Movie' }));
    const { JobItems } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [MOVIE] });
    const id = JobItems[0].Id;
    expect(h.access.transferItem(carol, id).item.id).toBe(id);
    expect(() => h.access.transferItem(stranger, id)).toThrow(expect.objectContaining({ kind: 'NotFound' }));
    h.lib.hiddenFrom.set(carol.user.id, new Set([MOVIE]));
    expect(() => h.access.transferItem(carol, id)).toThrow(expect.objectContaining({ kind: 'NotFound' }));
    expect(h.access.transferItem(alice, id).item.id).toBe(id);
  });

  it('acts for another user who holds a session on the device, or left it within 30 days — not for one seen long ago', () => {
    const h = syncHarness();
    const carol = h.signIn(aUser('carol'), 'tablet');
    const bob = aUser('bob');
    expect(h.access.mayActFor(carol, carol.user.id)).toBe(true);
    expect(h.access.mayActFor(carol, bob.id)).toBe(false);
    h.presence.sessions.add(`${bob.id}@tablet`);
    expect(h.access.mayActFor(carol, bob.id)).toBe(true);
    h.presence.sessions.clear();
    h.presence.lastSeen.set(`tablet/${bob.id}`, '2026-02-20T12:00:00.000Z');
    expect(h.access.mayActFor(carol, bob.id)).toBe(true);
    h.presence.lastSeen.set(`tablet/${bob.id}`, '2026-01-01T12:00:00.000Z');
    expect(h.access.mayActFor(carol, bob.id)).toBe(false);
  });
});
