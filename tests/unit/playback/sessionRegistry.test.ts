import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PLAYBACK_OPTIONS, PlaybackSessions, type StreamIntent } from '../../../src/server/playback/sessionRegistry.js';
import type { StreamPlan } from '../../../src/server/playback/hlsArgs.js';

/** Sessions are opened but never asked for a segment, so no ffmpeg runs: only the bookkeeping is tested. */
const PLAN: StreamPlan = {
  kind: 'remux',
  container: 'ts',
  video: { copy: true, streamIndex: 0, codec: 'h264' },
  audio: [],
  subtitles: [],
  reasons: [],
};

let registries: PlaybackSessions[] = [];
afterEach(async () => {
  await Promise.all(registries.map((r) => r.close()));
  registries = [];
});

function registry(maxSessions = 4): PlaybackSessions {
  const r = new PlaybackSessions({
    ...DEFAULT_PLAYBACK_OPTIONS,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'stowaway-sessions-')),
    ffmpeg: '/nonexistent/ffmpeg',
    idleTimeoutMs: 3_600_000,
    maxSessions,
  });
  registries.push(r);
  return r;
}

let clock = 0;
/** Opens a session for `userId`; each open is one tick later, so "least recently used" is unambiguous. */
async function play(r: PlaybackSessions, userId: string, id: string): Promise<void> {
  const intent: StreamIntent = {
    playSessionId: id,
    itemId: 'item',
    userId,
    plan: PLAN,
    segmentType: 'mpegts',
    startSeconds: 0,
    createdAt: 0,
  };
  const session = await r.open(intent, '/nonexistent/source.mkv', 60);
  session.lastAccess = Date.now() + ++clock;
}

const open = (r: PlaybackSessions) =>
  r
    .active()
    .map((s) => s.job.playSessionId)
    .sort();

describe('PlaybackSessions fair share', () => {
  it('one user opening more streams than the cap stops their own oldest, never another user’s', async () => {
    const r = registry(4);
    await play(r, 'alice', 'a1');
    for (const id of ['b1', 'b2', 'b3', 'b4', 'b5']) await play(r, 'bob', id);
    expect(open(r)).toEqual(['a1', 'b3', 'b4', 'b5']);
  });

  it('a newcomer takes a stream from whoever holds the most, the least recently used of theirs', async () => {
    const r = registry(4);
    await play(r, 'alice', 'a1');
    await play(r, 'bob', 'b1');
    await play(r, 'bob', 'b2');
    await play(r, 'bob', 'b3');
    await play(r, 'carol', 'c1');
    expect(open(r)).toEqual(['a1', 'b2', 'b3', 'c1']);
    // Now Bob holds two, Alice and Carol one each: Dave's stream comes out of Bob's share again.
    await play(r, 'dave', 'd1');
    expect(open(r)).toEqual(['a1', 'b3', 'c1', 'd1']);
  });

  it('with equal shares a user replaces their own oldest stream', async () => {
    const r = registry(2);
    await play(r, 'alice', 'a1');
    await play(r, 'bob', 'b1');
    await play(r, 'bob', 'b2');
    expect(open(r)).toEqual(['a1', 'b2']);
  });

  it('a user alone may use every encoder', async () => {
    const r = registry(3);
    for (const id of ['a1', 'a2', 'a3']) await play(r, 'alice', id);
    expect(open(r)).toEqual(['a1', 'a2', 'a3']);
  });
});
