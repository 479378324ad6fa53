import { EventEmitter } from 'node:events';
import type { SyncJob, SyncJobCreationResult, SyncJobItem } from '../../shared/api/sync.js';

/**
 * Sync changes for the live channels (WebSocket, SSE). `userId` lets the channels filter: a user only
 * ever receives their own jobs; `targetId` routes device notifications.
 */
export interface SyncEventMap {
  jobChanged: { jobId: string; userId: string; targetId: string };
  jobCreated: { userId: string; targetId: string; result: SyncJobCreationResult };
  jobCancelled: { userId: string; targetId: string; job: SyncJob };
  itemReady: { userId: string; targetId: string; item: SyncJobItem };
  itemCancelled: { userId: string; targetId: string; item: SyncJobItem };
}

export class SyncEvents extends EventEmitter {
  emitEvent<K extends keyof SyncEventMap>(name: K, payload: SyncEventMap[K]): void {
    this.emit(name, payload);
  }
  onEvent<K extends keyof SyncEventMap>(name: K, fn: (payload: SyncEventMap[K]) => void): () => void {
    this.on(name, fn);
    return () => this.off(name, fn);
  }
}
