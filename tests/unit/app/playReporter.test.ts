/**
 * The player's play-state reports (src/app/player/playReporter.ts) over a recording port: what the server
 * hears, and when, as the person plays, pauses, seeks and leaves.
 */
import { describe, expect, it } from 'vitest';
import type { PlayState } from '../../../src/app/player/playbackApi';
import { PlayReporter, PROGRESS_INTERVAL_MS, type PlayReportsPort } from '../../../src/app/player/playReporter';

function setup() {
  const heard: Array<{ call: string; state?: PlayState; id?: string; keepalive?: boolean }> = [];
  const port: PlayReportsPort = {
    start: async (state) => void heard.push({ call: 'start', state }),
    progress: async (state) => void heard.push({ call: 'progress', state }),
    stopped: async (state, keepalive) => void heard.push({ call: 'stopped', state, keepalive }),
    stopEncoding: async (id) => void heard.push({ call: 'stopEncoding', id }),
  };
  let t = 1_000;
  const changed: string[] = [];
  const reporter = new PlayReporter({
    port: () => port,
    describe: () => ({ ItemId: 'movie', MediaSourceId: 'movie', PlayMethod: 'DirectPlay', AudioStreamIndex: 1 }),
    stopped: (id) => changed.push(id),
    now: () => t,
  });
  return { reporter, heard, changed, tick: (ms: number) => (t += ms), calls: () => heard.map((h) => h.call) };
}

describe('play-state reports', () => {
  it('says Playing once play is pressed, Progress every interval and at once on pause, in ticks', () => {
    const { reporter, tick, heard, calls } = setup();
    reporter.began('session-1', 30);
    reporter.moved({ seconds: 30, paused: true });
    expect(calls()).toEqual([]);

    reporter.moved({ seconds: 30, paused: false });
    tick(PROGRESS_INTERVAL_MS - 1);
    reporter.moved({ seconds: 40, paused: false });
    tick(1);
    reporter.moved({ seconds: 40.5, paused: false });
    reporter.moved({ seconds: 41, paused: true });

    expect(calls()).toEqual(['start', 'progress', 'progress']);
    expect(heard[0]!.state).toMatchObject({
      PlaySessionId: 'session-1',
      PositionTicks: 300_000_000,
      IsPaused: false,
      SubtitleStreamIndex: -1,
    });
    expect(heard[2]!.state).toMatchObject({ PositionTicks: 410_000_000, IsPaused: true });
  });

  it('says Stopped exactly once, with where playback was, and tells who shows played state', async () => {
    const { reporter, heard, changed, calls } = setup();
    reporter.began('session-1', 0);
    reporter.moved({ seconds: 12, paused: false });

    await reporter.stop(true);
    await reporter.stop();

    expect(calls()).toEqual(['start', 'stopped']);
    expect(heard[1]).toMatchObject({ keepalive: true, state: { PositionTicks: 120_000_000 } });
    expect(changed).toEqual(['movie']);
  });

  it('ends the server’s encoder instead when nothing was played, and when a new stream replaces the old one', async () => {
    const { reporter, heard, calls } = setup();
    reporter.began('session-1', 0);
    reporter.began('session-2', 95);
    expect(reporter.position).toEqual({ seconds: 95, paused: true });

    await reporter.stop();

    expect(calls()).toEqual(['stopEncoding', 'stopEncoding']);
    expect(heard.map((h) => h.id)).toEqual(['session-1', 'session-2']);
  });
});
