import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import path from 'node:path';
import { AuthService } from './auth/authService.js';
import { DevicesRepo } from './auth/devicesRepo.js';
import { TokensRepo } from './auth/tokensRepo.js';
import { UsersRepo } from './auth/usersRepo.js';
import type { ServerConfig } from './config.js';
import { openDatabase, type Db } from './db/connection.js';
import { registerAuth } from './http/authPlugin.js';
import { registerErrorHandling } from './http/errorHandler.js';
import { registerTolerantInput } from './http/tolerantInput.js';
import { appShellIndex, registerAppStatic, spaFallback } from './http/appStatic.js';
import { newId } from './ids.js';
import { resolveMediaBinaries, type MediaBinaries } from './media/binaries.js';
import { SettingsRepo } from './system/settingsRepo.js';
import { registerSystemRoutes } from './routes/system.js';
import { registerUserRoutes } from './routes/users.js';
import { registerSessionRoutes } from './routes/sessions.js';
import { registerDeviceRoutes } from './routes/devices.js';
import { createLogger } from './logger.js';

/** Everything routes and services need, wired once here (the only place that knows the real classes). */
export interface AppDeps {
  config: ServerConfig;
  log: Logger;
  db: Db;
  serverId: string;
  binaries: MediaBinaries;
  users: UsersRepo;
  tokens: TokensRepo;
  devices: DevicesRepo;
  settings: SettingsRepo;
  auth: AuthService;
  /** Work started after the server listens (demo library, first scan, watchers, queues). */
  startBackground?: () => Promise<void>;
  /** Clean-up hooks run on close, last registered first. */
  onClose: Array<() => Promise<void> | void>;
}

export interface BuiltApp {
  app: FastifyInstance;
  deps: AppDeps;
  close(): Promise<void>;
}

export const SERVER_VERSION = '3.2.0.0';

/** Strips the `/emby` and `/mediabrowser` prefixes Emby clients add (API.md §1). */
export function rewriteUrl(url: string): string {
  const m = /^\/(emby|mediabrowser)(?=\/|\?|$)/i.exec(url);
  if (!m) return url;
  const rest = url.slice(m[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

export async function buildApp(config: ServerConfig, log: Logger = createLogger(config.logLevel)): Promise<BuiltApp> {
  const db = openDatabase(path.join(config.dataDir, 'stowaway.db'));
  const settings = new SettingsRepo(db);
  const serverId = settings.getOrCreate('server_id', newId);
  const users = new UsersRepo(db);
  const tokens = new TokensRepo(db);
  const devices = new DevicesRepo(db);
  const auth = new AuthService(db, users, tokens, devices);
  const binaries = resolveMediaBinaries(config);
  const deps: AppDeps = { config, log, db, serverId, binaries, users, tokens, devices, settings, auth, onClose: [] };

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: { disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' },
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 500 },
    bodyLimit: 1024 * 1024,
    rewriteUrl: (req) => rewriteUrl(req.url ?? '/'),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true, allErrors: false } },
  });
  registerErrorHandling(app, spaFallback(appShellIndex(config.appDir)));
  registerTolerantInput(app);
  registerAuth(app, auth);

  registerSystemRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerDeviceRoutes(app, deps);
  await registerAppStatic(app, deps);

  const close = async () => {
    for (const fn of [...deps.onClose].reverse()) {
      try {
        await fn();
      } catch (err) {
        log.warn({ err }, 'error during shutdown');
      }
    }
    await app.close();
    db.close();
  };
  return { app, deps, close };
}
