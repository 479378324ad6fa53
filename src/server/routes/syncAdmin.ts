/**
 * Administrator views of the sync machinery (ours, not Emby's). `GET /Sync/OutputStore` answers "how much
 * disk do converted files take, and where": the work dir is a server path, so the route is admin only
 * (non-admins get 403 from the auth hook before the handler runs and never see the path).
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../appDeps.js';

/** Wire shape of the output store's usage; PascalCase like every other DTO. */
export interface OutputStoreUsage {
  /** Bytes of every file under the output directories (partial files of running conversions included). */
  Bytes: number;
  Files: number;
  /** Output directories on disk (one per shared conversion). */
  Outputs: number;
  /** The work dir (SyncOptions.TemporaryPath, or `<data dir>/sync`). */
  Path: string;
}

export function registerSyncAdminRoutes(app: FastifyInstance, deps: Pick<AppDeps, 'outputs'>): void {
  app.get('/Sync/OutputStore', { config: { auth: 'admin' } }, async (): Promise<OutputStoreUsage> => {
    const usage = await deps.outputs.diskUsage();
    return { Bytes: usage.bytes, Files: usage.files, Outputs: usage.outputs, Path: deps.outputs.workDir };
  });
}
