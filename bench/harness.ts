/**
 * A real server started in-process for benchmarks (as tests/helpers/server.ts does for tests): temp data
 * dir, 127.0.0.1, port 0, silent logs, a scanned media folder and a signed-in admin device that is a sync
 * target. Kept separate from the test helpers so the bench depends on nothing under tests/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp, type BuiltApp } from '../src/server/app.js';
import { TEST_TOOLCHAIN_CACHE } from '../tests/helpers/toolchain.js';
import { loadConfig, type ServerConfig } from '../src/server/config.js';
import { createLogger } from '../src/server/logger.js';
import { ensureAdministrator } from '../src/server/system/firstRun.js';
import type { DeviceProfile } from '../src/shared/profile/types.js';

/** What a browser reports: MP4 H.264/AAC (and MP3) plays as is; a Static MP4 profile for the rest. */
export const BROWSER_PROFILE: DeviceProfile = {
  MaxStaticBitrate: 40_000_000,
  DirectPlayProfiles: [
    { Container: 'mp4,m4v', VideoCodec: 'h264', AudioCodec: 'aac,mp3', Type: 'Video' },
    { Container: 'mp3', Type: 'Audio' },
  ],
  TranscodingProfiles: [
    { Container: 'mp4', Type: 'Video', VideoCodec: 'h264', AudioCodec: 'aac', Context: 'Static', Protocol: 'http' },
    { Container: 'mp3', Type: 'Audio', AudioCodec: 'mp3', Context: 'Static', Protocol: 'http' },
  ],
  SubtitleProfiles: [{ Format: 'vtt', Method: 'External' }],
};

export function benchTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `stowaway-bench-${prefix}-`));
}

export interface BenchSession {
  deviceId: string;
  req(
    method: string,
    pathAndQuery: string,
    body?: unknown,
    init?: { headers?: Record<string, string>; signal?: AbortSignal },
  ): Promise<Response>;
  json<T = any>(method: string, pathAndQuery: string, body?: unknown): Promise<T>;
}

export interface BenchServer {
  built: BuiltApp;
  url: string;
  dataDir: string;
  admin: BenchSession;
  /** Library item ids by name. */
  ids: Record<string, string>;
  /** Signs the admin in on another device and reports `profile`, making it a sync target. */
  device(deviceId: string, profile?: DeviceProfile): Promise<BenchSession>;
  /** POST /Sync/Jobs, then resolves when every item of the job is ReadyToTransfer (from the in-process events). */
  syncUntilReady(
    s: BenchSession,
    request: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<{ ms: number; jobId: string; items: any[] }>;
  /** DELETE the job and wait until its outputs are gone from disk and database (so the next run converts afresh). */
  cancelJob(s: BenchSession, jobId: string): Promise<void>;
  close(): Promise<void>;
}

function authHeader(deviceId: string, token?: string): string {
  return `MediaBrowser Client="Bench", Device="Bench ${deviceId}", DeviceId="${deviceId}", Version="1.0.0"${token ? `, Token="${token}"` : ''}`;
}

async function signIn(url: string, deviceId: string): Promise<BenchSession> {
  const res = await fetch(`${url}/Users/AuthenticateByName`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-emby-authorization': authHeader(deviceId) },
    body: JSON.stringify({ Username: 'admin', Pw: 'bench' }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const token = ((await res.json()) as { AccessToken: string }).AccessToken;
  const req: BenchSession['req'] = (method, p, body, init = {}) =>
    fetch(`${url}${p}`, {
      method,
      signal: init.signal,
      headers: {
        'x-emby-authorization': authHeader(deviceId, token),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  return {
    deviceId,
    req,
    async json(method, p, body) {
      const res = await req(method, p, body);
      if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${await res.text()}`);
      return res.status === 204 ? undefined : res.json();
    },
  };
}

export async function startBenchServer(mediaDir: string, overrides: Partial<ServerConfig> = {}): Promise<BenchServer> {
  const dataDir = benchTempDir('data');
  const config: ServerConfig = {
    ...loadConfig({}, process.cwd()),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    mediaDirs: [mediaDir],
    watch: false,
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'silent',
    appDir: path.join(dataDir, 'no-app'),
    adminUser: 'admin',
    adminPassword: 'bench',
    // One verdict cache for every bench server: the self-test is not what is being measured.
    toolchainCacheDir: TEST_TOOLCHAIN_CACHE,
    ...overrides,
  };
  const built = await buildApp(config, createLogger(config.logLevel));
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  await ensureAdministrator(built.deps);
  await built.deps.library.scanner.scan();
  const address = built.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const rows = built.deps.db.prepare('SELECT id, name FROM items').all() as { id: string; name: string }[];
  const ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));

  const device = async (deviceId: string, profile: DeviceProfile = BROWSER_PROFILE) => {
    const s = await signIn(url, deviceId);
    const res = await s.req('POST', '/Sessions/Capabilities/Full', {
      SupportsSync: true,
      PlayableMediaTypes: ['Audio', 'Video'],
      DeviceProfile: profile,
    });
    if (res.status !== 204) throw new Error(`capabilities: ${res.status}`);
    return s;
  };

  const itemStatuses = (jobId: string) =>
    built.deps.db.prepare('SELECT id, status, error_message FROM sync_job_items WHERE job_id = ?').all(jobId) as {
      id: string;
      status: string;
      error_message: string | null;
    }[];

  const syncUntilReady: BenchServer['syncUntilReady'] = async (s, request, timeoutMs = 600_000) => {
    // Listen before the POST: a direct item (or a shared output already finished) is ready inside it.
    const ready = new Map<string, any>();
    let wake: () => void = () => undefined;
    const offReady = built.deps.syncEvents.onEvent('itemReady', ({ item }) => {
      ready.set(item.Id, item);
      wake();
    });
    const offChanged = built.deps.syncEvents.onEvent('jobChanged', () => wake());
    const started = performance.now();
    try {
      const res = await s.json('POST', '/Sync/Jobs', { TargetId: s.deviceId, ...request });
      const jobId: string = res.Job.Id;
      const wanted: string[] = res.JobItems.map((i: { Id: string }) => i.Id);
      for (const i of res.JobItems) if (i.Status === 'ReadyToTransfer') ready.set(i.Id, i);
      const deadline = Date.now() + timeoutMs;
      while (!wanted.every((id) => ready.has(id))) {
        // Read rows, not the API: an HTTP poll per progress event would be counted as server time.
        const failed = itemStatuses(jobId).find((r) => r.status === 'Failed');
        if (failed) throw new Error(`job item failed: ${failed.error_message}`);
        if (Date.now() > deadline) throw new Error(`job ${jobId} not ready after ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 1000);
        });
      }
      return { ms: performance.now() - started, jobId, items: wanted.map((id) => ready.get(id)) };
    } finally {
      offReady();
      offChanged();
    }
  };

  const cancelJob: BenchServer['cancelJob'] = async (s, jobId) => {
    const keys = (
      built.deps.db.prepare('SELECT output_key FROM sync_job_items WHERE job_id = ? AND output_key IS NOT NULL').all(jobId) as {
        output_key: string;
      }[]
    ).map((r) => r.output_key);
    const res = await s.req('DELETE', `/Sync/Jobs/${jobId}`);
    if (res.status !== 204) throw new Error(`cancel ${jobId}: ${res.status}`);
    // Only outputs no other job still uses go away (a shared output outlives one job's cancel).
    const gone = built.deps.db.prepare(
      'SELECT 1 FROM conversion_outputs o WHERE o.key = ? AND NOT EXISTS (SELECT 1 FROM sync_job_items i WHERE i.output_key = o.key)',
    );
    const deadline = Date.now() + 30_000;
    while (keys.some((k) => gone.get(k))) {
      if (Date.now() > deadline) throw new Error(`outputs of ${jobId} still there after the cancel`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  return {
    built,
    url,
    dataDir,
    admin: await device('bench-phone'),
    ids,
    device,
    syncUntilReady,
    cancelJob,
    async close() {
      await built.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
