/**
 * Play-state reports for one player: Playing once the person presses play, Progress every 10 s and on
 * pause/seek, Stopped exactly once — so Resume, Next Up and played state follow what was watched. Plain
 * TypeScript over a port of the three reports, so its rules are tested without a server or a component.
 */
import type { ApiClient } from '../api/client';
import { reportProgress, reportStart, reportStopped, stopEncoding, type PlayState } from './playbackApi';

export const PROGRESS_INTERVAL_MS = 10_000;
const TICKS = 10_000_000;

export interface PlaybackPosition {
  seconds: number;
  paused: boolean;
}

/** The server calls a reporter makes. */
export interface PlayReportsPort {
  start(state: PlayState): Promise<void>;
  progress(state: PlayState): Promise<void>;
  stopped(state: PlayState, keepalive: boolean): Promise<void>;
  stopEncoding(playSessionId: string): Promise<void>;
}

/** The reports through the session's client (playbackApi.ts). */
export function playReportsOf(api: ApiClient): PlayReportsPort {
  return {
    start: (state) => reportStart(api, state),
    progress: (state) => reportProgress(api, state),
    stopped: (state, keepalive) => reportStopped(api, state, keepalive),
    stopEncoding: (id) => stopEncoding(api, id),
  };
}

/** What a report says besides the session and the position: the item and the streams chosen. */
export type PlayDescription = Pick<PlayState, 'ItemId' | 'MediaSourceId' | 'PlayMethod' | 'AudioStreamIndex' | 'SubtitleStreamIndex'>;

export interface PlayReporterDeps {
  /** Undefined while signed out: nothing is reported. */
  port(): PlayReportsPort | undefined;
  /** Undefined while no item is loaded. */
  describe(): PlayDescription | undefined;
  /** Stopped was reported for this item: its played state and position changed on the server. */
  stopped?(itemId: string): void;
  now?(): number;
}

export class PlayReporter {
  private playSessionId?: string;
  private started = false;
  private lastReport = 0;
  position: PlaybackPosition = { seconds: 0, paused: true };

  constructor(private readonly d: PlayReporterDeps) {}

  private now(): number {
    return this.d.now?.() ?? Date.now();
  }

  /** A new stream from PlaybackInfo, paused at `startSeconds`; the server's encoder for the previous one is stopped. */
  began(playSessionId: string, startSeconds: number): void {
    const previous = this.playSessionId;
    this.playSessionId = playSessionId;
    this.position = { seconds: startSeconds, paused: true };
    if (previous)
      void this.d
        .port()
        ?.stopEncoding(previous)
        .catch(() => undefined);
  }

  state(): PlayState | undefined {
    const described = this.d.describe();
    if (!described || !this.playSessionId) return undefined;
    return {
      ...described,
      PlaySessionId: this.playSessionId,
      PositionTicks: Math.round(this.position.seconds * TICKS),
      IsPaused: this.position.paused,
      SubtitleStreamIndex: described.SubtitleStreamIndex ?? -1,
      CanSeek: true,
    };
  }

  /** From the player: time moved, or it paused/played. Sends Playing once, then Progress on a timer. */
  moved(p: PlaybackPosition, force = false): void {
    const port = this.d.port();
    const wasPaused = this.position.paused;
    this.position = p;
    const s = this.state();
    if (!port || !s) return;
    if (!this.started && !p.paused) {
      this.started = true;
      this.lastReport = this.now();
      void port.start(s).catch(() => undefined);
      return;
    }
    if (!this.started) return;
    if (force || wasPaused !== p.paused || this.now() - this.lastReport >= PROGRESS_INTERVAL_MS) {
      this.lastReport = this.now();
      void port.progress(s).catch(() => undefined);
    }
  }

  /** Reports Stopped (which also ends the server's encoder) exactly once per play. */
  async stop(keepalive = false): Promise<void> {
    const port = this.d.port();
    const s = this.state();
    if (!port || !s || !this.started) {
      if (port && this.playSessionId) void port.stopEncoding(this.playSessionId).catch(() => undefined);
      this.playSessionId = undefined;
      return;
    }
    this.started = false;
    this.playSessionId = undefined;
    try {
      await port.stopped(s, keepalive);
      this.d.stopped?.(s.ItemId);
    } catch {
      // Offline or gone: the position is lost, which is what Emby clients do too.
    }
  }
}
