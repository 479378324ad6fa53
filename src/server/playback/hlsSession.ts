/**
 * One play session's HLS encoder: ffmpeg on demand into `<dataDir>/transcodes/<playSessionId>/`.
 *
 * - A segment request is served from disk when complete, else waited for, else ffmpeg is restarted at it
 *   (segmentRequest.ts decides). Completion is read from the run's own playlist, which ffmpeg rewrites
 *   only after closing a segment — so a half-written segment is never served.
 * - Each run writes files under its own name (`r<k>-<n>.ts`): a restart never truncates a segment another
 *   request is still reading.
 * - Waiting is bounded: a segment that doesn't arrive in time answers 503, a failed ffmpeg 500 with its
 *   reason — never a hanging request and an endless spinner.
 * - The encoder is paused (SIGSTOP) when it runs far ahead of the player and resumed when needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { trackChild } from '../convert/childRecords.js';
import fs from 'node:fs';
import path from 'node:path';
import { notFound, processingFailed, unavailable } from '../errors.js';
import { StderrTail } from '../convert/stderrTail.js';
import { buildHlsArgs, runInitName, runPlaylistName, runSegmentName, type StreamPlan } from './hlsArgs.js';
import { segmentDurations, type SegmentType } from './hlsPlaylists.js';
import { completedSegments, decideSegmentAction, throttleDecision, type EncoderState } from './segmentRequest.js';

export interface HlsJob {
  playSessionId: string;
  itemId: string;
  userId: string;
  sourcePath: string;
  durationSeconds: number;
  plan: StreamPlan;
  audioStreamIndex?: number;
  segmentSeconds: number;
  segmentType: SegmentType;
}

export interface HlsTimings {
  /** Longest a segment request waits before answering 503. */
  segmentWaitMs: number;
  /** How far past the encoder a request may be before ffmpeg restarts there. */
  maxGapSegments: number;
  /** How far the encoder may run ahead of the last request before it is paused. */
  throttleAheadSegments: number;
  pollMs: number;
}

export interface HlsEnv {
  ffmpeg: string;
  threads: number;
  dir: string;
  timings: HlsTimings;
  log?: { debug(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

interface EncoderRun {
  name: string;
  startSegment: number;
  child: ChildProcess;
  state: EncoderState;
  stderr: StderrTail;
  paused: boolean;
  startedAt: number;
  exited: Promise<void>;
  /** Set when we killed it: its exit is not a failure. */
  killed: boolean;
  /** Segments this run completed (its playlist lists them). */
  done: Set<number>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The one line of ffmpeg's stderr a person can act on (the last is where the reason is). */
function reasonOf(tail: string): string {
  const lines = tail
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? 'no output on stderr';
}

export class HlsSession {
  readonly segmentCount: number;
  private runs = 0;
  private run?: EncoderRun;
  /** Complete segments from every run: index → file name. */
  private readonly complete = new Map<number, string>();
  private initFile?: string;
  private lastRequested = 0;
  private stopped = false;
  lastAccess = Date.now();

  constructor(
    readonly job: HlsJob,
    private readonly env: HlsEnv,
  ) {
    this.segmentCount = segmentDurations(job.durationSeconds, job.segmentSeconds).length;
    fs.mkdirSync(env.dir, { recursive: true });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** The running ffmpeg's pid (tests check it is gone after a stop). */
  get pid(): number | undefined {
    return this.run && this.run.state === 'running' ? this.run.child.pid : undefined;
  }

  /** Runs started so far (tests and the bench check that a far seek restarted). */
  get runCount(): number {
    return this.runs;
  }

  touch(): void {
    this.lastAccess = Date.now();
  }

  /** Start encoding at `segment` unless a run already covers it: the master playlist's head start. */
  prepare(segment: number): void {
    this.touch();
    const index = Math.max(0, Math.min(segment, this.segmentCount - 1));
    if (!this.run) this.startRun(index);
  }

  /** Absolute path of a complete segment, waiting for it, restarting ffmpeg when it is far away. */
  async segmentPath(index: number): Promise<string> {
    if (index < 0 || index >= this.segmentCount) throw notFound(`No segment ${index}`);
    this.touch();
    this.lastRequested = index;
    const deadline = Date.now() + this.env.timings.segmentWaitMs;
    for (;;) {
      if (this.stopped) throw notFound('This playback session has ended');
      this.refresh();
      const run = this.run;
      const action = decideSegmentAction({
        requested: index,
        complete: this.complete.has(index),
        run: run && { startSegment: run.startSegment, highestComplete: this.highestOf(run), state: run.state },
        maxGapSegments: this.env.timings.maxGapSegments,
      });
      if (action === 'serve') return path.join(this.env.dir, this.complete.get(index)!);
      if (action === 'fail') {
        throw processingFailed(`The server could not convert this file for streaming: ${reasonOf(run!.stderr.text())}`, 'TranscodeFailed');
      }
      if (action === 'end') throw notFound(`Segment ${index} is past the end of the stream`);
      if (action === 'restart') this.startRun(index);
      else this.throttle();
      if (Date.now() >= deadline) {
        throw unavailable(`Segment ${index} was not ready in ${Math.round(this.env.timings.segmentWaitMs / 1000)} s`, 'SegmentTimeout');
      }
      this.touch();
      await sleep(this.env.timings.pollMs);
    }
  }

  /** fMP4: the init segment (any run's: every run encodes with the same settings). */
  async initPath(): Promise<string> {
    if (this.job.segmentType !== 'fmp4') throw notFound('No init segment for TS streams');
    const deadline = Date.now() + this.env.timings.segmentWaitMs;
    this.touch();
    if (!this.run) this.startRun(Math.min(this.lastRequested, this.segmentCount - 1));
    for (;;) {
      this.refresh();
      if (this.initFile) return path.join(this.env.dir, this.initFile);
      if (this.run?.state === 'failed') {
        throw processingFailed(
          `The server could not convert this file for streaming: ${reasonOf(this.run.stderr.text())}`,
          'TranscodeFailed',
        );
      }
      if (Date.now() >= deadline) throw unavailable('The stream did not start in time', 'SegmentTimeout');
      await sleep(this.env.timings.pollMs);
    }
  }

  /** Called periodically by the registry: pick up finished segments, pause or resume the encoder. */
  tick(): void {
    if (this.stopped) return;
    this.refresh();
    this.throttle();
  }

  /** Kill ffmpeg and delete the session's files. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.killRun();
    await fs.promises.rm(this.env.dir, { recursive: true, force: true });
  }

  private highestOf(run: EncoderRun): number {
    let highest = run.startSegment - 1;
    while (run.done.has(highest + 1)) highest++;
    return highest;
  }

  /** Reads the current run's playlist: every segment it lists is closed and complete. */
  private refresh(): void {
    const run = this.run;
    if (!run) return;
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.env.dir, runPlaylistName(run.name)), 'utf8');
    } catch {
      return; // Not written yet: no segment finished.
    }
    for (const index of completedSegments(text, run.name).keys()) {
      run.done.add(index);
      if (!this.complete.has(index)) this.complete.set(index, runSegmentName(run.name, index, this.job.segmentType));
    }
    if (!this.initFile && this.job.segmentType === 'fmp4' && fs.existsSync(path.join(this.env.dir, runInitName(run.name)))) {
      this.initFile = runInitName(run.name);
    }
  }

  private throttle(): void {
    const run = this.run;
    if (!run || run.state !== 'running') return;
    const decision = throttleDecision(run.paused, this.highestOf(run), this.lastRequested, this.env.timings.throttleAheadSegments);
    if (decision === 'pause') {
      run.paused = run.child.kill('SIGSTOP');
    } else if (decision === 'resume' || (run.paused && this.lastRequested > this.highestOf(run))) {
      run.child.kill('SIGCONT');
      run.paused = false;
    }
  }

  private startRun(segment: number): void {
    void this.killRun();
    const name = `r${++this.runs}`;
    const args = buildHlsArgs(this.job.plan, {
      inputPath: this.job.sourcePath,
      dir: this.env.dir,
      runName: name,
      startSegment: segment,
      segmentSeconds: this.job.segmentSeconds,
      segmentType: this.job.segmentType,
      threads: this.env.threads,
      audioStreamIndex: this.job.audioStreamIndex,
    });
    const stderr = new StderrTail(20);
    // Never through a shell: the source path is an argument, not code.
    const child = trackChild(spawn(this.env.ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true }), this.env.ffmpeg);
    const run: EncoderRun = {
      name,
      startSegment: segment,
      child,
      state: 'running',
      stderr,
      paused: false,
      startedAt: Date.now(),
      killed: false,
      done: new Set(),
      exited: new Promise<void>((resolve) => {
        child.on('close', (code, signal) => {
          if (run.killed) run.state = 'finished';
          else run.state = code === 0 ? 'finished' : 'failed';
          if (run.state === 'failed') {
            this.env.log?.warn({ playSessionId: this.job.playSessionId, code, signal, stderr: stderr.text() }, 'HLS encoder failed');
          }
          resolve();
        });
      }),
    };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (c: string) => stderr.push(c));
    child.on('error', (err) => stderr.push(`could not start ffmpeg: ${err.message}\n`));
    this.run = run;
    this.env.log?.debug({ playSessionId: this.job.playSessionId, run: name, segment }, 'HLS encoder started');
  }

  private async killRun(): Promise<void> {
    const run = this.run;
    if (!run || run.state !== 'running') return;
    run.killed = true;
    // SIGKILL also ends a paused (SIGSTOPped) process, and a streaming output needs no clean trailer.
    run.child.kill('SIGKILL');
    await run.exited;
  }
}
