/** Ours, on `GET /System/Info` for administrators: what the server converts and probes with. */

export interface MediaToolInfo {
  Path: string;
  /** configured (FFMPEG_PATH/FFPROBE_PATH), PATH (the system's), npm (the bundled static build). */
  Source: 'configured' | 'PATH' | 'npm';
  Version?: string;
  SelfTest: 'passed' | 'failed' | 'untested';
  /** Why it failed its self-test. */
  Reason?: string;
}

export interface MediaToolchainInfo {
  Ffmpeg: MediaToolInfo;
  Ffprobe: MediaToolInfo;
  /** Candidates tried at start-up and not used, with the reason. */
  Skipped: Array<MediaToolInfo & { Kind: 'ffmpeg' | 'ffprobe' }>;
  /** Every encoder the chosen ffmpeg has. */
  Encoders: string[];
  /** The filters conversion depends on: zscale + tonemap (HDR → SDR), bwdif / yadif (deinterlacing)… */
  Filters: Record<string, boolean>;
  /** Images: sharp's version, and how HEIC photos are read ("sharp", "heif-convert" or "none"). */
  Images?: { Sharp: string; HeicDecoder: 'sharp' | 'heif-convert' | 'none' };
  /** Time spent choosing at this start (a cached verdict makes it a few milliseconds). */
  SelectedInMs: number;
}
