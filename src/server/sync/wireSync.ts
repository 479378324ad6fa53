/**
 * Builds the sync core from the server's parts: the SQL adapters of its ports, then its services, each
 * handed the interfaces it needs. The conversion engine is optional: without it only items that need no
 * conversion become ready (the others fail with a clear reason).
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { DevicesRepo } from '../auth/devicesRepo.js';
import type { TokensRepo } from '../auth/tokensRepo.js';
import type { UsersRepo } from '../auth/usersRepo.js';
import { BlockHashService, FileChangedError } from '../convert/blockHashes.js';
import type { Db } from '../db/connection.js';
import { SqliteUnitOfWork } from '../db/unitOfWork.js';
import { conflict } from '../errors.js';
import { SyncEvents } from '../events/syncEvents.js';
import type { ItemDtoMapper } from '../library/itemDto.js';
import { ALL_FIELDS } from '../library/itemDto.js';
import { canUserSeeItem } from '../library/itemVisibility.js';
import type { ItemsRepo } from '../library/itemsRepo.js';
import { latestItemIds, nextUpEpisodes, resumeItems } from '../library/categories.js';
import type { UserDataService } from '../userdata/userDataService.js';
import type { BaseItemDto } from '../../shared/api/items.js';
import type { ServerEncoders } from '../../shared/profile/encoders.js';
import type { ConversionPort } from './conversionPort.js';
import { ItemPlanner, type TargetProfiles } from './itemPlanner.js';
import { SqlItemSyncInfo } from './itemSyncInfo.js';
import { JobCancellation } from './jobCancellation.js';
import { JobItemProcessor } from './jobItemProcessor.js';
import { JobViews } from './jobViews.js';
import { OtherJobCopies } from './otherJobCopies.js';
import { Reconciler } from './reconcile.js';
import { Recovery } from './recovery.js';
import { RefreshScheduler } from './refreshScheduler.js';
import { SqlSyncLibrary } from './sqlSyncLibrary.js';
import { SyncAccess } from './syncAccess.js';
import { SyncDialog } from './syncDialog.js';
import { SyncJobs } from './syncJobs.js';
import { SyncRepo } from './syncRepo.js';
import { Transfer, type BlockDigestSource } from './transfer.js';
import type { PathRoots } from './userFacingError.js';

/** The sync core's services, as routes, events and the composition root use them. */
export interface SyncModule {
  dialog: SyncDialog;
  views: JobViews;
  jobs: SyncJobs;
  transfer: Transfer;
  refresh: RefreshScheduler;
  recovery: Recovery;
  reconcile: Reconciler;
  access: SyncAccess;
  events: SyncEvents;
}

export interface SyncWiring {
  db: Db;
  log: Logger;
  serverId: string;
  dataDir: string;
  users: UsersRepo;
  devices: DevicesRepo;
  tokens: TokensRepo;
  capabilities: TargetProfiles;
  items: ItemsRepo;
  itemDtos: ItemDtoMapper;
  userData: UserDataService;
  conversion?: ConversionPort;
  pathRoots?: () => PathRoots;
  /** The output codecs this server's ffmpeg can encode: plans (jobs, the dialog's estimates) use only these. */
  encoders?: ServerEncoders;
}

export function wireSync(d: SyncWiring): SyncModule {
  const store = new SyncRepo(d.db);
  const uow = new SqliteUnitOfWork(d.db);
  const events = new SyncEvents();
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
  const lib = new SqlSyncLibrary(d.db, {
    latest: (userId, parentId) => latestItemIds(d.items, { userId, parentId }),
    resume: (userId, parentId) => ids(resumeItems(d.items, { userId, parentId }).rows),
    nextUp: (userId, parentId) => ids(nextUpEpisodes(d.items, { userId, parentId }).rows),
  });
  const users = d.users;
  const access = new SyncAccess({
    store,
    users,
    lib,
    presence: {
      isUserOfDevice: (deviceId, userId) => d.devices.isUserOfDevice(deviceId, userId),
      lastSeen: (deviceId, userId) => d.devices.lastSeen(deviceId, userId),
      hasSession: (userId, deviceId) => d.tokens.hasSession(userId, deviceId),
    },
  });
  const planner = new ItemPlanner({ lib, profiles: d.capabilities, log: d.log, encoders: d.encoders });
  const processor = new JobItemProcessor({
    store,
    uow,
    lib,
    users,
    planner,
    events,
    conversion: d.conversion,
    pathRoots: d.pathRoots,
    log: d.log,
  });
  const copies = new OtherJobCopies(d.db);
  const views = new JobViews({ store, lib, devices: d.devices, access, copies });
  const dialog = new SyncDialog({ users, devices: d.devices, lib, planner, access, copies });
  const cancellation = new JobCancellation({ store, uow, processor, views, events });
  const jobs = new SyncJobs({
    store,
    uow,
    lib,
    users,
    access,
    dialog,
    planner,
    processor,
    cancellation,
    views,
    events,
    conversion: d.conversion,
  });
  const refresh = new RefreshScheduler({ store, uow, users, processor, cancellation });
  const recovery = new Recovery({ store, uow, processor, conversion: d.conversion });
  const transfer = new Transfer({
    store,
    uow,
    lib,
    access,
    processor,
    refresh,
    recovery,
    conversion: d.conversion,
    blockDigests: blockDigestsIn(d.dataDir),
    serverId: d.serverId,
    itemDtos: itemDtosFor(d),
  });
  const reconcile = new Reconciler({
    store,
    uow,
    lib,
    users,
    access,
    processor,
    refresh,
    applyPlayed: (userId, itemId, position, date) => !!d.userData.applyPlayedPosition(userId, itemId, position, date),
  });
  d.itemDtos.useSyncInfoProvider(new SqlItemSyncInfo(d.db));
  return { dialog, views, jobs, transfer, refresh, recovery, reconcile, access, events };
}

/** BaseItemDtos for a user, in one batch, only of items the user may see. */
function itemDtosFor(d: Pick<SyncWiring, 'users' | 'items' | 'itemDtos'>) {
  return (userId: string, itemIds: readonly string[]) => {
    const user = d.users.get(userId);
    const out = new Map<string, BaseItemDto>();
    if (!user) return out;
    const rows = d.items.getMany(itemIds).filter((r) => canUserSeeItem(user, r));
    for (const dto of d.itemDtos.toDtos(rows, { userId, fields: ALL_FIELDS, enableSync: user.policy.EnableSync })) out.set(dto.Id, dto);
    return out;
  };
}

/** Block digests kept beside each output, or for originals under `<data dir>/cache/block-digests`. */
function blockDigestsIn(dataDir: string): BlockDigestSource {
  const service = new BlockHashService(path.join(dataDir, 'cache', 'block-digests'));
  return {
    async digests(file, blockSize) {
      try {
        return await service.get(file, blockSize);
      } catch (err) {
        if (err instanceof FileChangedError) throw conflict('The file changed while it was read; ask again');
        throw err;
      }
    },
  };
}
