/**
 * What the profile builder may ask a browser. Behind an interface so tests replay answers recorded from
 * real browsers (tests/unit/app/profileBuilder.test.ts) instead of trusting happy-dom, which plays nothing.
 */

export type MediaKind = 'video' | 'audio';
export type CanPlayAnswer = '' | 'maybe' | 'probably';

export interface CapabilityProbe {
  /** HTMLMediaElement.canPlayType: what `<video src>` plays progressively — how synced files are played. */
  canPlayType(kind: MediaKind, mimeType: string): CanPlayAnswer;
  /** MediaSource.isTypeSupported; absent where there is no MSE (iPhone Safari before 17.1). */
  isTypeSupported?(mimeType: string): boolean;
  /** MediaCapabilities.decodingInfo(type 'file').supported; absent where the API is missing. */
  decodingSupported?(kind: MediaKind, mimeType: string): Promise<boolean>;
}

/** MSE only speaks for the formats it handles; for the rest (audio/flac, audio/mpeg…) it is not asked. */
const MSE_TYPES = /^(video|audio)\/(mp4|webm)\b/;

/** MediaCapabilities takes one codec per config and answers "unsupported" to a list, so lists skip it. */
function codecCount(mimeType: string): number {
  const m = /codecs="([^"]*)"/.exec(mimeType);
  return m ? m[1].split(',').length : 0;
}

/**
 * Whether a file of this MIME type (with codecs) will play from a `<video>`/`<audio>` src.
 * canPlayType '' is a definite no. 'maybe' means the container is known but the codecs aren't vouched for,
 * so a second opinion decides: MediaCapabilities where present, else MSE for the types it knows.
 */
export async function plays(probe: CapabilityProbe, kind: MediaKind, mimeType: string): Promise<boolean> {
  const answer = probe.canPlayType(kind, mimeType);
  if (answer === '') return false;
  if (probe.decodingSupported && codecCount(mimeType) <= 1) {
    try {
      return await probe.decodingSupported(kind, mimeType);
    } catch {
      // decodingInfo throws on strings it cannot parse; fall back to the element's own answer.
    }
  }
  if (answer === 'maybe' && probe.isTypeSupported && MSE_TYPES.test(mimeType)) return probe.isTypeSupported(mimeType);
  return true;
}

/** The real browser. Every call is cheap and synchronous except decodingInfo. */
export function browserProbe(): CapabilityProbe {
  const video = document.createElement('video');
  const audio = document.createElement('audio');
  const probe: CapabilityProbe = {
    canPlayType: (kind, mime) => (kind === 'video' ? video : audio).canPlayType(mime) as CanPlayAnswer,
  };
  const mse =
    (globalThis as { MediaSource?: typeof MediaSource; ManagedMediaSource?: typeof MediaSource }).MediaSource ??
    (globalThis as { ManagedMediaSource?: typeof MediaSource }).ManagedMediaSource;
  if (mse?.isTypeSupported) probe.isTypeSupported = (mime) => mse.isTypeSupported(mime);
  if (navigator.mediaCapabilities?.decodingInfo) {
    probe.decodingSupported = async (kind, contentType) => {
      // A typical 1080p file and stereo track: the question is "can it decode", not "at what size".
      const config: MediaDecodingConfiguration =
        kind === 'video'
          ? { type: 'file', video: { contentType, width: 1920, height: 1080, bitrate: 8_000_000, framerate: 30 } }
          : { type: 'file', audio: { contentType, channels: '2', bitrate: 192_000, samplerate: 48_000 } };
      return (await navigator.mediaCapabilities.decodingInfo(config)).supported;
    };
  }
  return probe;
}

/** Answers captured from a real browser: MIME type → answer; anything not recorded is "no". */
export interface RecordedAnswers {
  canPlayType: Record<string, CanPlayAnswer>;
  isTypeSupported?: Record<string, boolean>;
  decodingSupported?: Record<string, boolean>;
}

export function recordedProbe(answers: RecordedAnswers): CapabilityProbe {
  const probe: CapabilityProbe = { canPlayType: (_kind, mime) => answers.canPlayType[mime] ?? '' };
  const mse = answers.isTypeSupported;
  if (mse) probe.isTypeSupported = (mime) => mse[mime] ?? false;
  const decoding = answers.decodingSupported;
  if (decoding) probe.decodingSupported = async (_kind, mime) => decoding[mime] ?? false;
  return probe;
}

/**
 * Wraps a probe and writes down every question and answer, so a real browser's answers can be saved as
 * a RecordedAnswers fixture (scripts/record-probe.mjs).
 */
export function recordingProbe(inner: CapabilityProbe): { probe: CapabilityProbe; answers: RecordedAnswers } {
  const answers: RecordedAnswers = { canPlayType: {} };
  const probe: CapabilityProbe = {
    canPlayType(kind, mime) {
      const a = inner.canPlayType(kind, mime);
      answers.canPlayType[mime] = a;
      return a;
    },
  };
  const innerMse = inner.isTypeSupported?.bind(inner);
  if (innerMse) {
    answers.isTypeSupported = {};
    probe.isTypeSupported = (mime) => (answers.isTypeSupported![mime] = innerMse(mime));
  }
  const innerDecoding = inner.decodingSupported?.bind(inner);
  if (innerDecoding) {
    answers.decodingSupported = {};
    probe.decodingSupported = async (kind, mime) => (answers.decodingSupported![mime] = await innerDecoding(kind, mime));
  }
  return { probe, answers };
}
