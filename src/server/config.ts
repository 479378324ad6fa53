import path from 'node:path';

/** Everything the server reads from its environment, resolved once at start. */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Media folders to scan; empty means "generate and use the demo library". */
  mediaDirs: string[];
  adminUser?: string;
  adminPassword?: string;
  ffmpegPath?: string;
  ffprobePath?: string;
  /** Where the toolchain self-test keeps its samples and verdicts (default `<dataDir>/cache/toolchain`). */
  toolchainCacheDir?: string;
  /** False: only FFMPEG_PATH/FFPROBE_PATH are candidates, no PATH or npm fallback (STOWAWAY_TOOLCHAIN_DISCOVERY=0). */
  toolchainDiscovery?: boolean;
  logLevel: string;
  redisUrl?: string;
  /** Watch media folders for changes (off in most tests to keep them deterministic). */
  watch: boolean;
  /** Serve the built app from this folder when it exists. */
  appDir: string;
  /** Disk budget of resized images, bytes (STOWAWAY_IMAGE_CACHE_MB, default 256 MiB). */
  imageCacheBytes?: number;
  /** Largest camera upload accepted, bytes (STOWAWAY_MAX_UPLOAD_BYTES, default 4 GiB). */
  maxUploadBytes?: number;
  /** An HLS stream nobody asked for this long is stopped (STOWAWAY_STREAM_IDLE_SECONDS; default in playback). */
  streamIdleSeconds?: number;
  /** HLS encoders at once, shared fairly between users (STOWAWAY_MAX_STREAMS; default in playback). */
  maxStreams?: number;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() !== '' ? v.trim() : undefined;
}

function positiveInt(v: string | undefined, name: string, unit = 'bytes'): number | undefined {
  const s = nonEmpty(v);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number of ${unit}, got ${v}`);
  return n;
}

function mebibytes(v: string | undefined, name: string): number | undefined {
  const s = nonEmpty(v);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of MiB, got ${v}`);
  return Math.round(n * 1024 * 1024);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  const port = Number(env.PORT ?? 8096);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0–65535, got ${env.PORT}`);
  const mediaDirs = (nonEmpty(env.STOWAWAY_MEDIA_DIR) ?? '')
    .split(path.delimiter)
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => path.resolve(cwd, d));
  const toolchainCache = nonEmpty(env.STOWAWAY_TOOLCHAIN_CACHE);
  return {
    port,
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    dataDir: path.resolve(cwd, nonEmpty(env.STOWAWAY_DATA_DIR) ?? './data'),
    mediaDirs,
    adminUser: nonEmpty(env.STOWAWAY_ADMIN_USER),
    adminPassword: nonEmpty(env.STOWAWAY_ADMIN_PASSWORD),
    ffmpegPath: nonEmpty(env.FFMPEG_PATH),
    ffprobePath: nonEmpty(env.FFPROBE_PATH),
    toolchainCacheDir: toolchainCache ? path.resolve(cwd, toolchainCache) : undefined,
    toolchainDiscovery: env.STOWAWAY_TOOLCHAIN_DISCOVERY !== '0',
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
    redisUrl: nonEmpty(env.REDIS_URL),
    watch: env.STOWAWAY_WATCH !== '0',
    appDir: path.resolve(cwd, nonEmpty(env.STOWAWAY_APP_DIR) ?? './dist/app'),
    imageCacheBytes: mebibytes(env.STOWAWAY_IMAGE_CACHE_MB, 'STOWAWAY_IMAGE_CACHE_MB'),
    maxUploadBytes: positiveInt(env.STOWAWAY_MAX_UPLOAD_BYTES, 'STOWAWAY_MAX_UPLOAD_BYTES') ?? DEFAULT_MAX_UPLOAD_BYTES,
    streamIdleSeconds: positiveInt(env.STOWAWAY_STREAM_IDLE_SECONDS, 'STOWAWAY_STREAM_IDLE_SECONDS', 'seconds'),
    maxStreams: positiveInt(env.STOWAWAY_MAX_STREAMS, 'STOWAWAY_MAX_STREAMS', 'streams'),
  };
}
