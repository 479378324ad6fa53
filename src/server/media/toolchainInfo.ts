import type { MediaToolchainInfo, MediaToolInfo } from '../../shared/api/system.js';
import type { Toolchain, ToolReport } from './toolchain.js';

/** Filters whose absence changes what conversion can do; shown on the dashboard. */
export const KEY_FILTERS = ['zscale', 'tonemap', 'bwdif', 'yadif', 'idet', 'scale', 'subtitles'] as const;

function toolInfo(r: ToolReport): MediaToolInfo {
  return { Path: r.path, Source: r.source, Version: r.version, SelfTest: r.selfTest, Reason: r.reason };
}

export function toMediaToolchainInfo(t: Toolchain, images?: MediaToolchainInfo['Images']): MediaToolchainInfo {
  return {
    Ffmpeg: toolInfo(t.ffmpegInfo),
    Ffprobe: toolInfo(t.ffprobeInfo),
    Skipped: t.skipped.map((s) => ({ Kind: s.kind, ...toolInfo(s) })),
    Encoders: [...t.encoders],
    Filters: Object.fromEntries(KEY_FILTERS.map((f) => [f, t.hasFilter(f)])),
    Images: images,
    SelectedInMs: t.selectedInMs,
  };
}
