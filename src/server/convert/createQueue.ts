/** Picks the queue for this server: BullMQ when REDIS_URL is set (README "Scale-out"), else in-process. */
import type { Logger } from 'pino';
import type { MediaBinaries } from '../media/binaries.js';
import { BullmqConversionQueue } from './bullmqQueue.js';
import type { ConversionEmitter, ConversionQueue } from './conversionQueue.js';
import { InProcessQueue } from './inProcessQueue.js';
import type { OutputStore } from './outputStore.js';
import type { SyncOptionsSource } from '../sync/syncSettings.js';

export interface CreateQueueDeps {
  redisUrl?: string;
  store: OutputStore;
  settings: SyncOptionsSource;
  binaries: MediaBinaries;
  log: Logger;
}

export function createConversionQueue(deps: CreateQueueDeps): ConversionQueue & ConversionEmitter {
  const log = deps.log.child({ module: 'convert' });
  if (deps.redisUrl) return new BullmqConversionQueue({ store: deps.store, settings: deps.settings, log, redisUrl: deps.redisUrl });
  return new InProcessQueue({ store: deps.store, settings: deps.settings, binaries: deps.binaries, log });
}
