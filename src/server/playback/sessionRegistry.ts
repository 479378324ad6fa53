/**
 * Every play session's encoder, by PlaySessionId: at most one running ffmpeg per session, a cap on
 * sessions overall shared fairly between users (see `victim`), an idle timeout that stops encoders whose
 * player went away without saying so, and a stop of everything when the server closes. Also remembers what
 * PlaybackInfo decided for each PlaySessionId, so the HLS URLs need carry nothing but that id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HlsSession, type HlsEnv, type HlsJob, type HlsTimings } from './hlsSession.js';
import type { StreamPlan } from './hlsArgs.js';
import type { SegmentType } from './hlsPlaylists.js';

/** What PlaybackInfo decided for a play session: enough to start its encoder later. */
export interface StreamIntent {
  playSessionId: string;
  itemId: string;
  userId: string;
  deviceId?: string;
  plan: StreamPlan;
  audioStreamIndex?: number;
  segmentType: SegmentType;
  /** Where playback starts (the master playlist starts encoding there). */
  startSeconds: number;
  createdAt: number;
}

export interface PlaybackSessionOptions {
  dataDir: string;
  ffmpeg: string;
  /** Encoder threads per session; 0 = ffmpeg's choice. */
  threads: number;
  /** No segment or playlist request for this long → ffmpeg stopped, files deleted. */
  idleTimeoutMs: number;
  maxSessions: number;
  segmentSeconds: number;
  timings: HlsTimings;
  log?: HlsEnv['log'] & { info(obj: object, msg: string): void };
}

export const DEFAULT_PLAYBACK_OPTIONS = {
  threads: 0,
  idleTimeoutMs: 45_000,
  maxSessions: 4,
  segmentSeconds: 3,
  timings: { segmentWaitMs: 20_000, maxGapSegments: 3, throttleAheadSegments: 20, pollMs: 100 },
} satisfies Partial<PlaybackSessionOptions>;

/** Intents older than this are forgotten (a PlaybackInfo answer nobody played). */
const INTENT_TTL_MS = 6 * 3600_000;
const MAX_INTENTS = 1000;

export class PlaybackSessions {
  private readonly sessions = new Map<string, HlsSession>();
  private readonly intents = new Map<string, StreamIntent>();
  private timer?: NodeJS.Timeout;
  readonly root: string;

  constructor(private opts: PlaybackSessionOptions) {
    this.root = path.join(opts.dataDir, 'transcodes');
    // Segment dirs left by a crash belong to sessions that no longer exist.
    fs.rmSync(this.root, { recursive: true, force: true });
    fs.mkdirSync(this.root, { recursive: true });
    this.startSweeping();
  }

  /** Changes limits at run time (tests use a one-second idle timeout); applies to sessions opened after. */
  configure(changes: Partial<Omit<PlaybackSessionOptions, 'dataDir' | 'ffmpeg'>>): void {
    this.opts = { ...this.opts, ...changes, timings: { ...this.opts.timings, ...changes.timings } };
    this.startSweeping();
  }

  private startSweeping(): void {
    if (this.timer) clearInterval(this.timer);
    // Idle checks a few times per timeout; throttling wants about a second at most.
    const every = Math.max(50, Math.min(1000, Math.floor(this.opts.idleTimeoutMs / 4)));
    this.timer = setInterval(() => void this.sweep(), every);
    this.timer.unref();
  }

  get segmentSeconds(): number {
    return this.opts.segmentSeconds;
  }

  remember(intent: StreamIntent): void {
    this.intents.set(intent.playSessionId, intent);
    if (this.intents.size > MAX_INTENTS) this.intents.delete(this.intents.keys().next().value!);
  }

  intent(playSessionId: string): StreamIntent | undefined {
    return this.intents.get(playSessionId);
  }

  get(playSessionId: string): HlsSession | undefined {
    const s = this.sessions.get(playSessionId);
    return s && !s.isStopped ? s : undefined;
  }

  /** The session's encoder; a different item or audio track under the same id replaces the old one. */
  async open(intent: StreamIntent, sourcePath: string, durationSeconds: number): Promise<HlsSession> {
    const existing = this.get(intent.playSessionId);
    if (existing && existing.job.itemId === intent.itemId && existing.job.audioStreamIndex === intent.audioStreamIndex) return existing;
    if (existing) await this.stop(intent.playSessionId);
    await this.makeRoom(intent.userId);
    const job: HlsJob = {
      playSessionId: intent.playSessionId,
      itemId: intent.itemId,
      userId: intent.userId,
      sourcePath,
      durationSeconds,
      plan: intent.plan,
      audioStreamIndex: intent.audioStreamIndex,
      segmentSeconds: this.opts.segmentSeconds,
      segmentType: intent.segmentType,
    };
    const session = new HlsSession(job, {
      ffmpeg: this.opts.ffmpeg,
      threads: this.opts.threads,
      dir: path.join(this.root, safeDirName(intent.playSessionId)),
      timings: this.opts.timings,
      log: this.opts.log,
    });
    this.sessions.set(intent.playSessionId, session);
    return session;
  }

  /** Stops a session's encoder and deletes its files; true if there was one. */
  async stop(playSessionId: string): Promise<boolean> {
    const s = this.sessions.get(playSessionId);
    if (!s) return false;
    this.sessions.delete(playSessionId);
    await s.stop();
    return true;
  }

  /** Stops every session of a device (DELETE /Videos/ActiveEncodings?DeviceId=). */
  async stopDevice(deviceId: string, userId: string): Promise<number> {
    let n = 0;
    for (const [id, s] of this.sessions) {
      const intent = this.intents.get(id);
      if (intent?.deviceId === deviceId && s.job.userId === userId && (await this.stop(id))) n++;
    }
    return n;
  }

  /** Sessions with a running ffmpeg (tests, bench). */
  active(): HlsSession[] {
    return [...this.sessions.values()].filter((s) => !s.isStopped);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.sessions.keys()].map((id) => this.stop(id)));
    await fs.promises.rm(this.root, { recursive: true, force: true });
  }

  private async makeRoom(userId: string): Promise<void> {
    while (this.sessions.size >= this.opts.maxSessions) {
      const victim = this.victim(userId);
      if (!victim) return;
      this.opts.log?.info({ playSessionId: victim, forUser: userId }, 'stopping a stream to make room (fair share per user)');
      await this.stop(victim);
    }
  }

  /**
   * Which stream a new one of `userId` replaces when every encoder is busy (issue 14 item 7: one user
   * opening four sessions stopped another's playback). Each user has a fair share: the stream that goes is
   * the least recently used one of whoever holds the most — the newcomer's own when, counting the new one,
   * they hold as many as anyone. So nobody loses a stream to a user who holds as many or more.
   */
  private victim(userId: string): string | undefined {
    const byUser = new Map<string, Array<[string, HlsSession]>>();
    for (const entry of this.sessions) byUser.set(entry[1].job.userId, [...(byUser.get(entry[1].job.userId) ?? []), entry]);
    const mine = byUser.get(userId) ?? [];
    const othersMost = Math.max(0, ...[...byUser].filter(([u]) => u !== userId).map(([, list]) => list.length));
    const pool =
      mine.length > 0 && mine.length + 1 >= othersMost
        ? mine
        : [...byUser].filter(([u, list]) => u !== userId && list.length === othersMost).flatMap(([, list]) => list);
    return pool.sort((a, b) => a[1].lastAccess - b[1].lastAccess)[0]?.[0];
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const [id, s] of this.sessions) {
      if (now - s.lastAccess > this.opts.idleTimeoutMs) {
        this.opts.log?.debug({ playSessionId: id }, 'stream idle: stopping its encoder');
        await this.stop(id);
      } else {
        s.tick();
      }
    }
    for (const [id, intent] of this.intents) {
      if (now - intent.createdAt > INTENT_TTL_MS) this.intents.delete(id);
    }
  }
}

/** A PlaySessionId comes from the client: only its safe characters reach the file system. */
export function safeDirName(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100);
  return cleaned || 'session';
}
