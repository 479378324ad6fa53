/** Small facts about a source and a profile that every part of the decision asks for. */
import type { MediaSourceInfo, MediaStream } from '../api/items.js';
import { canonicalContainer, csvList } from './codecs.js';
import { describeFailure, type SourceProperties } from './conditions.js';
import type { ConversionContext } from './plan.js';
import type { DeviceProfile, ProfileCondition, TranscodingProfile } from './types.js';

export function num(value: number | string | undefined | null): number | undefined {
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

export function mbps(bps: number): string {
  return `${Number((bps / 1e6).toFixed(1))} Mbps`;
}

export function sourceContainers(source: MediaSourceInfo): string[] {
  const fromContainer = csvList(source.Container, canonicalContainer);
  if (fromContainer.length > 0) return fromContainer;
  const ext = /\.([a-z0-9]+)$/i.exec(source.Path ?? '')?.[1];
  return ext ? [canonicalContainer(ext)] : [];
}

export function durationSeconds(source: MediaSourceInfo): number | undefined {
  const ticks = num(source.RunTimeTicks);
  return ticks ? ticks / 10_000_000 : undefined;
}

/** The source's overall bitrate: as probed, else the sum of its streams', else size over duration. */
export function sourceBitrate(source: MediaSourceInfo): number | undefined {
  const probed = num(source.Bitrate);
  if (probed) return probed;
  const streams = source.MediaStreams ?? [];
  const video = streams.find((s) => s.Type === 'Video');
  if (video?.BitRate) {
    return streams.filter((s) => s.Type === 'Video' || s.Type === 'Audio').reduce((sum, s) => sum + (s.BitRate ?? 0), 0);
  }
  const size = num(source.Size);
  const duration = durationSeconds(source);
  return size && duration ? (size * 8) / duration : undefined;
}

export function languageMatches(stream: MediaStream, language: string): boolean {
  const a = stream.Language?.toLowerCase();
  const b = language.toLowerCase();
  if (!a) return false;
  if (a === b) return true;
  // 'en' vs 'eng': a two-letter preference matches a three-letter tag that starts with it.
  return (a.length === 2 || b.length === 2) && a.slice(0, 2) === b.slice(0, 2);
}

/**
 * Audio streams in output order: the user's language first (its default track before the others), then
 * the source's default track, then the rest in source order.
 */
export function orderAudioStreams(streams: readonly MediaStream[], language?: string): MediaStream[] {
  const audio = streams.filter((s) => s.Type === 'Audio');
  const rank = (s: MediaStream) => {
    if (language && languageMatches(s, language)) return s.IsDefault ? 0 : 1;
    return s.IsDefault ? 2 : 3;
  };
  return audio
    .map((s, i) => ({ s, i }))
    .sort((x, y) => rank(x.s) - rank(y.s) || x.i - y.i)
    .map((x) => x.s);
}

export function firstTranscodingProfile(
  profile: DeviceProfile,
  type: 'Video' | 'Audio',
  context: ConversionContext,
): TranscodingProfile | undefined {
  return (profile.TranscodingProfiles ?? []).find((p) => {
    if (p.Type !== type) return false;
    const ctx = (p.Context ?? 'Streaming').toLowerCase();
    return ctx === context.toLowerCase();
  });
}

export function failureText(label: string, failures: readonly ProfileCondition[], props: SourceProperties): string[] {
  return failures.map((c) => `${describeFailure(c, props)} (${label})`);
}
