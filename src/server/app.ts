import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps, BuiltApp } from './appDeps.js';

export type { AppDeps, BuiltApp } from './appDeps.js';
import type { Logger } from 'pino';
import path from 'node:path';
import { AuthService } from './auth/authService.js';
import { DevicesRepo } from './auth/devicesRepo.js';
import { TokensRepo } from './auth/tokensRepo.js';
import { UsersRepo } from './auth/usersRepo.js';
import { UsersService } from './auth/usersService.js';
import type { ServerConfig } from './config.js';
import { openDatabase, transactionOf } from './db/connection.js';
import { registerAuth } from './http/authPlugin.js';
import { registerErrorHandling } from './http/errorHandler.js';
import { registerTolerantInput } from './http/tolerantInput.js';
import { registerSecurityHeaders } from './http/securityHeaders.js';
import type { RouteOptions } from 'fastify';
import { appShellIndex, registerAppStatic, spaFallback } from './http/appStatic.js';
import { newId } from './ids.js';
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
import { wireSync } from './sync/wireSync.js';
import { startSyncPrepareTask } from './sync/syncPrepareTask.js';
import { wireLibrary } from './library/wireLibrary.js';
import { registerLibraryRoutes } from './routes/library.js';
import { SyncSettings } from './sync/syncSettings.js';
import { OutputStore } from './convert/outputStore.js';
import { createConversionQueue } from './convert/createQueue.js';
import { ConversionEngine } from './convert/conversionEngine.js';
import { registerSyncRoutes } from './routes/sync.js';
import { registerSyncEventRoutes } from './routes/syncEvents.js';
import { wirePlayback } from './playback/wirePlayback.js';
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

/** Strips the `/emby` and `/mediabrowser` prefixes Emby clients add (API.md §1). */
export function rewriteUrl(url: string): string {
  const m = /^\/(emby|mediabrowser)(?=\/|\?|$)/i.exec(url);
  if (!m) return url;
  const rest = url.slice(m[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** `toolchain`: a choice already under way (main.ts starts it before loading this module). */
export async function buildApp(
  config: ServerConfig,
  log: Logger = createLogger(config.logLevel),
  toolchain?: Promise<Toolchain>,
): Promise<BuiltApp> {
  // The toolchain self-test runs child processes: start it first and open the database meanwhile.
  const toolchainChoice = toolchain ?? selectServerToolchain(config, log);
  toolchainChoice.catch(() => undefined); // awaited below; this only keeps an early throw from going unhandled
  const db = openDatabase(path.join(config.dataDir, 'stowaway.db'));
  const settings = new SettingsRepo(db);
  const serverId = settings.getOrCreate('server_id', newId);
  const users = new UsersRepo(db);
  const tokens = new TokensRepo(db);
  const devices = new DevicesRepo(db);
  const transaction = transactionOf(db);
  const auth = new AuthService(transaction, users, tokens, devices);
  const usersService = new UsersService({ users, tokens, devices, transaction });
  const capabilities = new DeviceCapabilities(devices, log);
  const liveChannels = new LiveChannels();
  const chosen = await toolchainChoice;
  const binaries = chosen;
  const items = new ItemsRepo(db);
  const userDataRepo = new UserDataRepo(db);
  const itemDtos = new ItemDtoMapper(items, userDataRepo, serverId);
  const userData = new UserDataService({ repo: userDataRepo, items, users, transaction });
  const collections = new CollectionsService({ folders: new EntryFoldersRepo(db), items, users, transaction });
  const libraryBrowser = new LibraryBrowser({ items, dtos: itemDtos, users });
  const library = wireLibrary(config, db, binaries, log);
  const syncSettings = new SyncSettings(settings, config.dataDir);
  const outputs = new OutputStore(db, syncSettings.workDir(), log);
  const queue = createConversionQueue({ redisUrl: config.redisUrl, store: outputs, settings: syncSettings, binaries, log });
  const conversion = new ConversionEngine(outputs, queue, log);
  const playbackParts = wirePlayback(config, binaries, log, { items, deviceProfile: (id) => capabilities.profileOf(id) });
  const sync = wireSync({
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
    conversion,
    // Error messages name files relative to their library, never server paths (issue 14 item 4).
    pathRoots: () => ({
      library: [...(config.mediaDirs ?? []), cameraUploadsRoot(config.dataDir)],
      hidden: [syncSettings.workDir(), config.dataDir, path.resolve(config.dataDir)],
    }),
  });
  const deviceManagement = new DevicesService(db, devices, tokens, sync.jobs);
  const cameraUploads = new CameraUploadService({
    repo: new CameraUploadsRepo(db),
    root: cameraUploadsRoot(config.dataDir),
    maxBytes: config.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    deviceName: (id) => devices.get(id)?.name,
    userName: (id) => users.get(id)?.name,
    requestScan: () => void library.scanner.scan().catch((err: unknown) => log.error({ err }, 'scan after a camera upload failed')),
    log,
  });
  const deps: AppDeps = {
    config,
    log,
    db,
    serverId,
    binaries,
    toolchain: chosen,
    users,
    tokens,
    devices,
    deviceManagement,
    settings,
    auth,
    capabilities,
    liveChannels,
    usersService,
    items,
    itemDtos,
    userData,
    collections,
    libraryBrowser,
    itemImages: new ItemImages(items, library.images, log),
    mediaFiles: new MediaFiles(items),
    library,
    sync,
    syncEvents: sync.events,
    syncAccess: sync.access,
    liveSync: new LiveSync({
      views: sync.views,
      events: sync.events,
      access: sync.access,
      channels: liveChannels,
      current: (session) => {
        if (!tokens.get(session.tokenHash)) return undefined;
        const user = users.get(session.user.id);
        return user && !user.policy.IsDisabled ? { ...session, user } : undefined;
      },
    }),
    syncSettings,
    outputs,
    ...playbackParts,
    cameraUploads,
    routeCatalog: [],
    onClose: [() => library.close(), () => queue.stop(), () => liveChannels.closeAll()],
    startBackground: async () => {
      await library.start();
      startSyncPrepareTask(sync, outputs, log, deps.onClose);
    },
  };
  // After a SIGKILL: our orphaned ffmpeg processes and nobody's upload parts go before any new work.
  sweepAfterCrash({ dataDir: config.dataDir, db, uploadIncomingDir: path.join(cameraUploadsRoot(config.dataDir), '.incoming'), log });
  // Durable queue (§9.6): Converting items and outputs go back to Queued, partial files go, work resumes.
  sync.recovery.recoverAfterRestart();
  await queue.start();
  // Items the server stopped before planning (or whose plan crashed before issue 14's fix) are planned now.
  sync.recovery.planUnplanned();
  // A library change re-expands SyncNewContent jobs at once (the 3-hour task is only a safety net).
  // Played state moves Next Up, Resume and UnwatchedOnly windows: the next Items/Ready re-expands.
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

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 500 },
    bodyLimit: 1024 * 1024,
    // close() must not wait for keep-alive sockets or a download in flight (~70 s after an aborted fetch).
    forceCloseConnections: true,
    rewriteUrl: (req) => rewriteUrl(req.url ?? '/'),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  registerErrorHandling(app, spaFallback(appShellIndex(config.appDir)));
  registerCors(app);
  registerTolerantInput(app);
  registerSecurityHeaders(app);
  registerAuth(app, auth);
  // Every route with its schema, for the route-driven fuzz and authorization tests.
  app.addHook('onRoute', (route: RouteOptions) => {
    deps.routeCatalog.push({ method: route.method, url: route.url, schema: route.schema, config: route.config });
  });

  registerSystemRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerDeviceRoutes(app, deps);
  registerItemRoutes(app, deps);
  registerUserDataRoutes(app, deps);
  registerCollectionRoutes(app, deps);
  registerStreamRoutes(app, deps);
  registerPlaybackRoutes(app, deps);
  deps.onClose.push(() => playbackParts.playback.close());
  registerLibraryRoutes(app, deps);
  registerSyncRoutes(app, deps);
  registerSyncAdminRoutes(app, deps);
  await registerSyncEventRoutes(app, deps);
  await registerCameraUploadRoutes(app, deps);
  registerCameraUploadItemRoutes(app, deps);
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
