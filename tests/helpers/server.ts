import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp, type BuiltApp } from '../../src/server/app.js';
import { loadConfig, type ServerConfig } from '../../src/server/config.js';
import { createLogger } from '../../src/server/logger.js';
import type { Logger } from 'pino';
import type { Toolchain } from '../../src/server/media/toolchain.js';
import { TEST_TOOLCHAIN_CACHE } from './toolchain.js';

export interface TestServer {
  built: BuiltApp;
  url: string;
  dataDir: string;
  /** An authenticated fetch for a user signed in on a device. */
  close(): Promise<void>;
}

/**
 * A real server on 127.0.0.1, port 0, with a temp data dir. Callers pass extra config (media dirs).
 * No watcher, no background start unless asked: tests decide when scans happen.
 */
export async function startTestServer(
  overrides: Partial<ServerConfig> = {},
  opts: {
    background?: boolean;
    /** A logger of the test's own (to read what is logged). */
    log?: Logger;
    /** A toolchain of the test's own (e.g. the real one reporting an encoder missing); default: the server's choice. */
    toolchain?: Promise<Toolchain>;
  } = {},
): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'stowaway-test-'));
  const config: ServerConfig = {
    ...loadConfig({}, process.cwd()),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    watch: false,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    appDir: path.join(dataDir, 'no-app'),
    toolchainCacheDir: TEST_TOOLCHAIN_CACHE,
    ...overrides,
  };
  const built = await buildApp(config, opts.log ?? createLogger(config.logLevel), opts.toolchain);
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  if (opts.background) await built.deps.startBackground?.();
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    built,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    async close() {
      await built.close();
      if (!overrides.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function authHeader(deviceId: string, token?: string, client = 'TestClient', device = 'Test Device'): string {
  return `MediaBrowser Client="${client}", Device="${device}", DeviceId="${deviceId}", Version="1.0.0"${token ? `, Token="${token}"` : ''}`;
}

export interface Session {
  token: string;
  userId: string;
  deviceId: string;
  /** fetch against the server with this session's token; JSON bodies are encoded. */
  req(method: string, pathAndQuery: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  json<T = any>(method: string, pathAndQuery: string, body?: unknown): Promise<T>;
}

export async function signIn(url: string, username: string, password: string, deviceId = `dev-${username}`): Promise<Session> {
  const res = await fetch(`${url}/Users/AuthenticateByName`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-emby-authorization': authHeader(deviceId) },
    body: JSON.stringify({ Username: username, Pw: password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const auth = (await res.json()) as { AccessToken: string; User: { Id: string } };
  return sessionFor(url, auth.AccessToken, auth.User.Id, deviceId);
}

export function sessionFor(url: string, token: string, userId: string, deviceId: string): Session {
  const req = (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${p}`, {
      method,
      headers: {
        'x-emby-authorization': authHeader(deviceId, token),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  return {
    token,
    userId,
    deviceId,
    req,
    async json(method, p, body) {
      const res = await req(method, p, body);
      if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${await res.text()}`);
      return res.status === 204 ? undefined : res.json();
    },
  };
}

/** Creates a user through the admin API and signs them in. */
export async function createUser(
  url: string,
  admin: Session,
  name: string,
  password = 'pw',
  policy?: Record<string, unknown>,
): Promise<Session> {
  const user = await admin.json<{ Id: string }>('POST', '/Users/New', { Name: name, Password: password });
  if (policy) await admin.json('POST', `/Users/${user.Id}/Policy`, policy);
  return signIn(url, name, password);
}
