import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Api, AppDeps, BuiltApp } from './appDeps.js';

export type { AppDeps, BuiltApp } from './appDeps.js';
import type { Logger } from 'pino';
import path from 'node:path';
import { AuthService } from './auth/authService.js';
import { DevicesRepo } from './auth/devicesRepo.js';
import { TokensRepo } from './auth/tokensRepo.js';
import { UsersRepo } from './auth/usersRepo.js';
import { UsersService } from './auth/usersService.js';
import type { ServerConfig } from './config.js';
import { openDatabase, transactionOf, type Db } from './db/connection.js';
import { registerAuth } from './http/authPlugin.js';
import { registerErrorHandling } from './http/errorHandler.js';
import { registerTolerantInput } from './http/tolerantInput.js';
import { registerSecurityHeaders } from './http/securityHeaders.js';
import type { RouteOptions } from 'fastify';
import { appShellIndex, registerAppStatic, spaFallback } from './http/appStatic.js';
import { newId } from './ids.js';
import { serverEncoders } from './media/serverEncoders.js';
import { selectServerToolchain, type Toolchain } from './media/toolchain.js';
import { SettingsRepo } from './system/settingsRepo.js';
import { registerSystemRoutes } from './routes/system.js';
import { registerUserRoutes } from './routes/users.js';
import { registerSessionRoutes } from './routes/sessions.js';
import { registerDeviceRoutes } from './routes/devices.js';
import { DevicesService } from './auth/devicesService.js';
import { createLogger } from './logger.js';
import { ItemsRepo } from './library/itemsRepo.js';
import { ItemDtoMapper } from './library/itemDto.js';
import { CollectionsService } from './library/collectionsService.js';
import { ItemImages } from './library/itemImages.js';
import { EntryFoldersRepo } from './library/entryFoldersRepo.js';
import { LibraryBrowser } from './library/libraryBrowser.js';
import { MediaFiles } from './library/mediaFiles.js';
import { UserDataRepo } from './userdata/userDataRepo.js';
import { UserDataService } from './userdata/userDataService.js';
import { registerItemRoutes } from './routes/items.js';
import { registerUserDataRoutes } from './routes/userData.js';
import { registerCollectionRoutes } from './routes/collections.js';
import { registerStreamRoutes } from './routes/streams.js';
import { wireSync, type SyncModule } from './sync/wireSync.js';
import { startSyncPrepareTask } from './sync/syncPrepareTask.js';
import { wireLibrary, type Library } from './library/wireLibrary.js';
import { registerLibraryRoutes } from './routes/library.js';
import { SyncSettings } from './sync/syncSettings.js';
import { OutputStore } from './convert/outputStore.js';
import { createConversionQueue } from './convert/createQueue.js';
import { ConversionEngine } from './convert/conversionEngine.js';
import { registerSyncRoutes } from './routes/sync.js';
import { registerSyncEventRoutes } from './routes/syncEvents.js';
import { wirePlayback, type PlaybackParts } from './playback/wirePlayback.js';
import { registerPlaybackRoutes } from './routes/playback.js';
import { registerSyncAdminRoutes } from './routes/syncAdmin.js';
import { registerCors } from './http/cors.js';
import { DEFAULT_MAX_UPLOAD_BYTES } from './config.js';
import { sweepAfterCrash } from './convert/startupSweep.js';
import { CameraUploadsRepo } from './uploads/cameraUploadsRepo.js';
import { CameraUploadService } from './uploads/cameraUploadService.js';
import { cameraUploadsRoot } from './uploads/uploadPaths.js';
import { registerCameraUploadRoutes } from './routes/cameraUploads.js';
import { DeviceCapabilities } from './profile/deviceCapabilities.js';
import { LiveChannels } from './events/liveChannels.js';
import { LiveSync } from './events/liveSync.js';
import { registerCameraUploadItemRoutes } from './routes/cameraUploadItems.js';
import { CameraUploadsLibrary } from './uploads/cameraUploadsLibrary.js';
import { uploadedItemIds } from './uploads/uploadedItemsRepo.js';

/** Strips the `/emby` and `/mediabrowser` prefixes Emby clients add (API.md §1). */
export function rewriteUrl(url: string): string {
  const m = /^\/(emby|mediabrowser)(?=\/|\?|$)/i.exec(url);
  if (!m) return url;
  const rest = url.slice(m[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * The composition root: each step below wires one area and hands the next what it needs; then the durable
 * work restarts, the HTTP server is assembled and every route registered. `toolchain`: a choice already
 * under way (main.ts starts it before loading this module).
 */
export async function buildApp(
  config: ServerConfig,
  log: Logger = createLogger(config.logLevel),
  toolchain?: Promise<Toolchain>,
): Promise<BuiltApp> {
  // The toolchain self-test runs child processes: start it first and open the database meanwhile.
  const toolchainChoice = toolchain ?? selectServerToolchain(config, log);
  toolchainChoice.catch(() => undefined); // awaited below; this only keeps an early throw from going unhandled
  const db = openDatabase(path.join(config.dataDir, 'stowaway.db'));
  const accounts = wireAccounts(db, log);
  const binaries = await toolchainChoice;
  const library = wireLibraryParts(config, db, binaries, accounts, log);
  const conversion = wireConversion(config, db, binaries, accounts.settings, log);
  const playback = wirePlayback(config, binaries, log, {
    items: library.items,
    deviceProfile: (id) => accounts.capabilities.profileOf(id),
    encoders: conversion.encoders,
  });
  const sync = wireSyncCore(config, db, log, accounts, library, conversion);
  const deps = assembleDeps({ config, log, db, binaries, accounts, library, conversion, playback, sync });
  await restartDurableWork(deps, conversion.queue);
  connectLibraryToSync(deps);

  const app = createHttpServer(config, log);
  registerHttpPlumbing(app, deps);
  await registerRoutes(app, deps);
  return { app, deps, close: closerOf(app, deps) };
}

/** Accounts: settings and the server id, users, sessions, devices and what each device can play. */
function wireAccounts(db: Db, log: Logger) {
  const settings = new SettingsRepo(db);
  const serverId = settings.getOrCreate('server_id', newId);
  const users = new UsersRepo(db);
  const tokens = new TokensRepo(db);
  const devices = new DevicesRepo(db);
  const transaction = transactionOf(db);
  return {
    settings,
    serverId,
    users,
    tokens,
    devices,
    transaction,
    auth: new AuthService(transaction, users, tokens, devices),
    usersService: new UsersService({ users, tokens, devices, transaction }),
    capabilities: new DeviceCapabilities(devices, log),
    liveChannels: new LiveChannels(),
  };
}
type Accounts = ReturnType<typeof wireAccounts>;

/** The library as users read it (items, DTOs, user data, collections, browsing) and its scanner side. */
function wireLibraryParts(config: ServerConfig, db: Db, binaries: Toolchain, accounts: Accounts, log: Logger) {
  const { users, transaction, serverId } = accounts;
  const items = new ItemsRepo(db);
  const userDataRepo = new UserDataRepo(db);
  const itemDtos = new ItemDtoMapper(items, userDataRepo, serverId);
  const library = {
    items,
    itemDtos,
    userData: new UserDataService({ repo: userDataRepo, items, users, transaction }),
    collections: new CollectionsService({ folders: new EntryFoldersRepo(db), items, users, transaction }),
    libraryBrowser: new LibraryBrowser({ items, dtos: itemDtos, users }),
    library: wireLibrary(config, db, binaries, log),
    mediaFiles: new MediaFiles(items),
  };
  return { ...library, itemImages: new ItemImages(items, library.library.images, log) };
}
type LibraryParts = ReturnType<typeof wireLibraryParts>;

/** Conversion: the sync settings, the shared output store, the queue (in-process or BullMQ) and the engine. */
function wireConversion(config: ServerConfig, db: Db, binaries: Toolchain, settings: SettingsRepo, log: Logger) {
  const syncSettings = new SyncSettings(settings, config.dataDir);
  const outputs = new OutputStore(db, syncSettings.workDir(), log);
  const queue = createConversionQueue({ redisUrl: config.redisUrl, store: outputs, settings: syncSettings, binaries, log });
  // Plans name only codecs this ffmpeg has an encoder for (the self-test demands just libx264 and aac).
  const encoders = serverEncoders(binaries);
  return { syncSettings, outputs, queue, engine: new ConversionEngine(outputs, queue, log), encoders };
}
type ConversionParts = ReturnType<typeof wireConversion>;

function wireSyncCore(
  config: ServerConfig,
  db: Db,
  log: Logger,
  accounts: Accounts,
  library: LibraryParts,
  conversion: ConversionParts,
): SyncModule {
  const { serverId, users, devices, tokens, capabilities } = accounts;
  const { encoders } = conversion;
  const { items, itemDtos, userData } = library;
  return wireSync({
    db,
    log,
    serverId,
    dataDir: config.dataDir,
    users,
    devices,
    tokens,
    capabilities,
    items,
    itemDtos,
    userData,
    conversion: conversion.engine,
    encoders,
    // Error messages name files relative to their library, never server paths (issue 14 item 4).
    pathRoots: () => ({
      library: [...(config.mediaDirs ?? []), cameraUploadsRoot(config.dataDir)],
      hidden: [conversion.syncSettings.workDir(), config.dataDir, path.resolve(config.dataDir)],
    }),
  });
}

/** Photos and videos sent by devices; a stored upload asks the library for a scan. */
function wireCameraUploads(config: ServerConfig, db: Db, accounts: Accounts, library: Library, log: Logger): CameraUploadService {
  const { devices, users } = accounts;
  return new CameraUploadService({
    repo: new CameraUploadsRepo(db),
    root: cameraUploadsRoot(config.dataDir),
    maxBytes: config.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    deviceName: (id) => devices.get(id)?.name,
    userName: (id) => users.get(id)?.name,
    requestScan: () => void library.scanner.scan().catch((err: unknown) => log.error({ err }, 'scan after a camera upload failed')),
    log,
  });
}

/** A user's uploads as library items: the uploads read model for which, the library's browser for the rest. */
function wireCameraUploadItems(config: ServerConfig, db: Db, libraryBrowser: LibraryBrowser): CameraUploadsLibrary {
  const root = cameraUploadsRoot(config.dataDir);
  return new CameraUploadsLibrary({
    uploaded: { page: (userId, start, limit) => uploadedItemIds(db, userId, root, start, limit) },
    library: libraryBrowser,
  });
}

/** SSE and WebSocket views of sync state; a stream lives only while its session and user do. */
function wireLiveSync(sync: SyncModule, accounts: Accounts): LiveSync {
  const { tokens, users, liveChannels } = accounts;
  return new LiveSync({
    views: sync.views,
    events: sync.events,
    access: sync.access,
    channels: liveChannels,
    current: (session) => {
      if (!tokens.get(session.tokenHash)) return undefined;
      const user = users.get(session.user.id);
      return user && !user.policy.IsDisabled ? { ...session, user } : undefined;
    },
  });
}

interface WiredParts {
  config: ServerConfig;
  log: Logger;
  db: Db;
  binaries: Toolchain;
  accounts: Accounts;
  library: LibraryParts;
  conversion: ConversionParts;
  playback: PlaybackParts;
  sync: SyncModule;
}

/** Everything routes and services are handed, with the clean-up order and the work started after listen. */
function assembleDeps(parts: WiredParts): AppDeps {
  const { config, log, db, binaries, accounts, library, conversion, playback, sync } = parts;
  const deps: AppDeps = {
    config,
    log,
    db,
    binaries,
    toolchain: binaries,
    serverId: accounts.serverId,
    users: accounts.users,
    tokens: accounts.tokens,
    devices: accounts.devices,
    settings: accounts.settings,
    auth: accounts.auth,
    capabilities: accounts.capabilities,
    liveChannels: accounts.liveChannels,
    usersService: accounts.usersService,
    deviceManagement: new DevicesService(db, accounts.devices, accounts.tokens, sync.jobs),
    ...library,
    sync,
    syncEvents: sync.events,
    syncAccess: sync.access,
    liveSync: wireLiveSync(sync, accounts),
    syncSettings: conversion.syncSettings,
    outputs: conversion.outputs,
    ...playback,
    cameraUploads: wireCameraUploads(config, db, accounts, library.library, log),
    cameraUploadItems: wireCameraUploadItems(config, db, library.libraryBrowser),
    routeCatalog: [],
    onClose: [() => library.library.close(), () => conversion.queue.stop(), () => accounts.liveChannels.closeAll()],
    startBackground: async () => {
      await library.library.start();
      startSyncPrepareTask(sync, conversion.outputs, log, deps.onClose);
    },
  };
  return deps;
}

/** After a restart or a SIGKILL: clean up, put interrupted conversions back in the queue and start it. */
async function restartDurableWork(deps: AppDeps, queue: ConversionParts['queue']): Promise<void> {
  const { config, db, log, sync } = deps;
  // After a SIGKILL: our orphaned ffmpeg processes and nobody's upload parts go before any new work.
  sweepAfterCrash({ dataDir: config.dataDir, db, uploadIncomingDir: path.join(cameraUploadsRoot(config.dataDir), '.incoming'), log });
  // Durable queue (§9.6): Converting items and outputs go back to Queued, partial files go, work resumes.
  sync.recovery.recoverAfterRestart();
  await queue.start();
  // Items the server stopped before planning (or whose plan crashed before issue 14's fix) are planned now.
  sync.recovery.planUnplanned();
}

/**
 * A library change re-expands SyncNewContent jobs at once (the 3-hour task is only a safety net).
 * Played state moves Next Up, Resume and UnwatchedOnly windows: the next Items/Ready re-expands.
 */
function connectLibraryToSync({ userData, library, sync, log }: AppDeps): void {
  userData.on('userDataChanged', () => sync.refresh.markChanged());
  library.scanner.on('changed', (change) => {
    sync.refresh.markChanged();
    try {
      sync.refresh.libraryItemsRemoved(change.removed);
      sync.refresh.refresh();
    } catch (err) {
      log.error({ err }, 'sync refresh after a library change failed');
    }
  });
}

function createHttpServer(config: ServerConfig, log: Logger): Api {
  return Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 500 },
    bodyLimit: 1024 * 1024,
    // close() must not wait for keep-alive sockets or a download in flight (~70 s after an aborted fetch).
    forceCloseConnections: true,
    rewriteUrl: (req) => rewriteUrl(req.url ?? '/'),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
}

/** Errors, CORS, tolerant input, security headers and the token check, before any route. */
function registerHttpPlumbing(app: Api, deps: AppDeps): void {
  registerErrorHandling(app, spaFallback(appShellIndex(deps.config.appDir)));
  registerCors(app);
  registerTolerantInput(app);
  registerSecurityHeaders(app);
  registerAuth(app, deps.auth);
  // Every route with its schema, for the route-driven fuzz and authorization tests.
  app.addHook('onRoute', (route: RouteOptions) => {
    deps.routeCatalog.push({ method: route.method, url: route.url, schema: route.schema, config: route.config });
  });
}

async function registerRoutes(app: Api, deps: AppDeps): Promise<void> {
  registerSystemRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerDeviceRoutes(app, deps);
  registerItemRoutes(app, deps);
  registerUserDataRoutes(app, deps);
  registerCollectionRoutes(app, deps);
  registerStreamRoutes(app, deps);
  registerPlaybackRoutes(app, deps);
  deps.onClose.push(() => deps.playback.close());
  registerLibraryRoutes(app, deps);
  registerSyncRoutes(app, deps);
  registerSyncAdminRoutes(app, deps);
  await registerSyncEventRoutes(app, deps);
  await registerCameraUploadRoutes(app, deps);
  registerCameraUploadItemRoutes(app, deps);
  await registerAppStatic(app, deps);
}

/** Clean-up hooks last registered first (one failing does not stop the rest), then HTTP, then the database. */
function closerOf(app: Api, deps: AppDeps): () => Promise<void> {
  return async () => {
    for (const fn of [...deps.onClose].reverse()) {
      try {
        await fn();
      } catch (err) {
        deps.log.warn({ err }, 'error during shutdown');
      }
    }
    await app.close();
    deps.db.close();
  };
}
