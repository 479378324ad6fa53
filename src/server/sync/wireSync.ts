/**
 * Builds the sync core from the server's parts. The conversion engine is optional: without it only items
 * that need no conversion become ready (the others fail with a clear reason).
 */
import type { Logger } from 'pino';
import type { DevicesRepo } from '../auth/devicesRepo.js';
import type { TokensRepo } from '../auth/tokensRepo.js';
import type { UsersRepo } from '../auth/usersRepo.js';
import type { Db } from '../db/connection.js';
import type { ItemDtoMapper } from '../library/itemDto.js';
import { ALL_FIELDS } from '../library/itemDto.js';
import { canUserSeeItem } from '../library/itemVisibility.js';
import type { BaseItemDto } from '../../shared/api/items.js';
import type { ItemsRepo } from '../library/itemsRepo.js';
import { latestItemIds, nextUpEpisodes, resumeItems } from '../library/categories.js';
import type { UserDataService } from '../userdata/userDataService.js';
import type { ConversionPort } from './conversionPort.js';
import { SqlItemSyncInfo } from './itemSyncInfo.js';
import { JobItemProcessor, type TargetProfiles } from './jobItemProcessor.js';
import { Reconciler } from './reconcile.js';
import { SqlSyncLibrary } from './sqlSyncLibrary.js';
import { SyncAccess } from './syncAccess.js';
import { SyncEvents } from './syncEvents.js';
import { SyncRepo } from './syncRepo.js';
import { SyncService } from './syncService.js';
import type { PathRoots } from './userFacingError.js';

export interface SyncParts {
  repo: SyncRepo;
  events: SyncEvents;
  service: SyncService;
  reconcile: Reconciler;
  processor: JobItemProcessor;
  access: SyncAccess;
}

export function wireSync(d: {
  db: Db;
  log: Logger;
  serverId: string;
  users: UsersRepo;
  devices: DevicesRepo;
  tokens: TokensRepo;
  capabilities: TargetProfiles;
  items: ItemsRepo;
  itemDtos: ItemDtoMapper;
  userData: UserDataService;
  conversion?: ConversionPort;
  pathRoots?: () => PathRoots;
}): SyncParts {
  const repo = new SyncRepo(d.db);
  const events = new SyncEvents();
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
  const lib = new SqlSyncLibrary(d.db, {
    latest: (userId, parentId) => latestItemIds(d.items, { userId, parentId }),
    resume: (userId, parentId) => ids(resumeItems(d.items, { userId, parentId }).rows),
    nextUp: (userId, parentId) => ids(nextUpEpisodes(d.items, { userId, parentId }).rows),
  });
  const access = new SyncAccess({
    repo,
    lib,
    presence: {
      isUserOfDevice: (deviceId, userId) => d.devices.isUserOfDevice(deviceId, userId),
      lastSeen: (deviceId, userId) => d.devices.lastSeen(deviceId, userId),
      hasSession: (userId, deviceId) => d.tokens.hasSession(userId, deviceId),
    },
  });
  const processor = new JobItemProcessor({
    db: d.db,
    repo,
    lib,
    users: d.users,
    profiles: d.capabilities,
    events,
    conversion: d.conversion,
    pathRoots: d.pathRoots,
    log: d.log,
  });
  const itemDtos = (userId: string, itemIds: readonly string[]) => {
    const user = d.users.get(userId);
    const out = new Map<string, BaseItemDto>();
    if (!user) return out;
    const rows = d.items.getMany(itemIds).filter((r) => canUserSeeItem(user, r));
    for (const dto of d.itemDtos.toDtos(rows, { userId, fields: ALL_FIELDS, enableSync: user.policy.EnableSync })) out.set(dto.Id, dto);
    return out;
  };
  const service = new SyncService({
    db: d.db,
    repo,
    lib,
    users: d.users,
    devices: d.devices,
    access,
    processor,
    events,
    conversion: d.conversion,
    serverId: d.serverId,
    itemDtos,
    log: d.log,
  });
  const reconcile = new Reconciler({
    db: d.db,
    repo,
    lib,
    users: d.users,
    access,
    processor,
    service,
    applyPlayed: (userId, itemId, position, date) => !!d.userData.applyPlayedPosition(userId, itemId, position, date),
  });
  d.itemDtos.useSyncInfoProvider(new SqlItemSyncInfo(d.db));
  return { repo, events, service, reconcile, processor, access };
}
