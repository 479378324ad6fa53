/**
 * What to do when a player asks for segment N. Pure, so the restart rule is unit-tested apart from ffmpeg.
 *
 * ffmpeg writes segments in order from where its run started. A player that seeks far ahead would wait
 * for every segment in between, so a request more than `maxGapSegments` past the encoder's position
 * restarts ffmpeg at the requested segment instead (Emby and Jellyfin do the same); a request before the
 * run's start can never be answered by it, so it restarts too.
 */

export type EncoderState = 'running' | 'finished' | 'failed';

export interface EncoderRunView {
  startSegment: number;
  /** The highest segment this run has completed; startSegment − 1 before the first. */
  highestComplete: number;
  state: EncoderState;
}

export interface SegmentRequestFacts {
  requested: number;
  /** Already on disk and complete (from this run or an earlier one). */
  complete: boolean;
  run?: EncoderRunView;
  maxGapSegments: number;
}

/** `end`: a run that finished normally from before this segment never wrote it — it is past the end. */
export type SegmentAction = 'serve' | 'wait' | 'restart' | 'fail' | 'end';

export function decideSegmentAction(f: SegmentRequestFacts): SegmentAction {
  if (f.complete) return 'serve';
  const run = f.run;
  if (!run) return 'restart';
  if (run.state === 'failed') return 'fail';
  if (f.requested < run.startSegment) return 'restart';
  // A run that ended normally wrote everything from its start to the end of the source — but a remux
  // cuts at the source's keyframes, so its segments can be longer and fewer than the playlist lists:
  // start one at the requested segment; only if even that one didn't write it is it past the end.
  if (run.state === 'finished') return run.startSegment === f.requested ? 'end' : 'restart';
  if (f.requested > run.highestComplete + f.maxGapSegments) return 'restart';
  return 'wait';
}

/**
 * Whether a running encoder should be paused (SIGSTOP) or resumed: it may run `aheadSegments` past the
 * last requested segment, so a paused player doesn't keep a transcode burning CPU to the end of a film.
 * Resumes with half that margin left, so playback never waits on a paused encoder.
 */
export function throttleDecision(
  paused: boolean,
  highestComplete: number,
  lastRequested: number,
  aheadSegments: number,
): 'pause' | 'resume' | 'keep' {
  const lead = highestComplete - lastRequested;
  if (!paused && lead > aheadSegments) return 'pause';
  if (paused && lead <= Math.floor(aheadSegments / 2)) return 'resume';
  return 'keep';
}

/** Segment indexes and durations an ffmpeg-written (run) playlist lists as complete. */
export function completedSegments(playlist: string, runName: string): Map<number, number> {
  const out = new Map<number, number>();
  let duration: number | undefined;
  const pattern = new RegExp(`^${runName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)\\.(ts|mp4)$`);
  for (const raw of playlist.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
    else if (line && !line.startsWith('#')) {
      const m = pattern.exec(line);
      if (m) out.set(Number(m[1]), Number.isFinite(duration) ? duration! : 0);
      duration = undefined;
    }
  }
  return out;
}
