/**
 * The shape of the composition root: what routes and services are handed. Its own module so a route imports
 * this interface, not `app.ts` (which imports every route: the cycle issue 16 found).
 */
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault, RouteOptions } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { AuthService } from './auth/authService.js';
import type { DevicesRepo } from './auth/devicesRepo.js';
import type { DevicesService } from './auth/devicesService.js';
import type { TokensRepo } from './auth/tokensRepo.js';
import type { UsersRepo } from './auth/usersRepo.js';
import type { UsersService } from './auth/usersService.js';
import type { ServerConfig } from './config.js';
import type { Db } from './db/connection.js';
import type { MediaBinaries } from './media/binaries.js';
import type { Toolchain } from './media/toolchain.js';
import type { SettingsRepo } from './system/settingsRepo.js';
import type { ItemsRepo } from './library/itemsRepo.js';
import type { ItemDtoMapper } from './library/itemDto.js';
import type { CollectionsService } from './library/collectionsService.js';
import type { ItemImages } from './library/itemImages.js';
import type { LibraryBrowser } from './library/libraryBrowser.js';
import type { MediaFiles } from './library/mediaFiles.js';
import type { UserDataService } from './userdata/userDataService.js';
import type { Library } from './library/wireLibrary.js';
import type { SyncModule } from './sync/wireSync.js';
import type { SyncEvents } from './events/syncEvents.js';
import type { SyncAccess } from './sync/syncAccess.js';
import type { LiveSync } from './events/liveSync.js';
import type { SyncSettings } from './sync/syncSettings.js';
import type { OutputStore } from './convert/outputStore.js';
import type { PlaybackSessions } from './playback/sessionRegistry.js';
import type { SubtitleVttCache } from './playback/subtitleVtt.js';
import type { PlaybackInfoService } from './playback/playbackInfo.js';
import type { HlsStreams } from './playback/hlsStreams.js';
import type { CameraUploadService } from './uploads/cameraUploadService.js';
import type { CameraUploadsLibrary } from './uploads/cameraUploadsLibrary.js';
import type { DeviceCapabilities } from './profile/deviceCapabilities.js';
import type { LiveChannels } from './events/liveChannels.js';

/** The Fastify instance routes register on: TypeBox schemas give each handler its typed request. */
export type Api = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/** Everything routes and services need, wired once here (the only place that knows the real classes). */
export interface AppDeps {
  config: ServerConfig;
  log: Logger;
  db: Db;
  serverId: string;
  binaries: MediaBinaries;
  /** The same binaries with what was chosen and why, versions, encoders and filters (media/toolchain.ts). */
  toolchain: Toolchain;
  users: UsersRepo;
  tokens: TokensRepo;
  devices: DevicesRepo;
  /** Renaming and removing devices, with who may do which (issue 15 §5). */
  deviceManagement: DevicesService;
  settings: SettingsRepo;
  auth: AuthService;
  /** What each device reported it can play: capabilities and its validated DeviceProfile. */
  capabilities: DeviceCapabilities;
  /** Open SSE streams and WebSockets by session: ending a session (or a user's sessions) closes them. */
  liveChannels: LiveChannels;
  /** Account changes (create, delete, policy, configuration, passwords) and the sessions they end. */
  usersService: UsersService;
  /** Library read side, item DTOs (sync info provider pluggable), user data, box sets and playlists. */
  items: ItemsRepo;
  itemDtos: ItemDtoMapper;
  userData: UserDataService;
  collections: CollectionsService;
  /** Browsing as a user: whose library, which items they may see, wire-ready pages. */
  libraryBrowser: LibraryBrowser;
  /** Item images as the caller may see them (the item's visibility decides). */
  itemImages: ItemImages;
  /** Original media files for streams and downloads, for callers who may see the item. */
  mediaFiles: MediaFiles;
  library: Library;
  /** Shared conversion outputs (disk usage for the admin). */
  outputs: OutputStore;
  /** The sync core: dialog, jobs, views, transfer, refresh, recovery, reconcile; its events and settings. */
  sync: SyncModule;
  syncEvents: SyncEvents;
  syncAccess: SyncAccess;
  /** SSE and WebSocket views of sync state. */
  liveSync: LiveSync;
  syncSettings: SyncSettings;
  /** Online playback: one HLS encoder per play session; text subtitles as WebVTT on demand. */
  playback: PlaybackSessions;
  subtitleVtt: SubtitleVttCache;
  playbackInfo: PlaybackInfoService;
  hlsStreams: HlsStreams;
  /** Photos and videos sent by devices, stored per user and device and scanned into the library. */
  cameraUploads: CameraUploadService;
  /** A user's uploads as library items, newest first (the "Camera uploads" view). */
  cameraUploadItems: CameraUploadsLibrary;
  /** Work started after the server listens (demo library, first scan, watchers, queues). */
  startBackground?: () => Promise<void>;
  /** Every registered route (method, url, schema). */
  routeCatalog: Array<Pick<RouteOptions, 'method' | 'url' | 'schema' | 'config'>>;
  /** Clean-up hooks run on close, last registered first. */
  onClose: Array<() => Promise<void> | void>;
}

export interface BuiltApp {
  app: Api;
  deps: AppDeps;
  close(): Promise<void>;
}
