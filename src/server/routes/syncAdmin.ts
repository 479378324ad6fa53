/**
 * Administrator views of the sync machinery: the sync settings (`GET|POST /System/Configuration/sync`, API.md
 * §4 SyncOptions) and, ours, `GET /Sync/OutputStore` — "how much disk do converted files take, and where":
 * the work dir is a server path, so the route is admin only (others get 403 from the auth hook before the
 * handler runs and never see the path).
 */
import { Type } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { MAX_CONCURRENT_CONVERSIONS, MAX_CPU_CORE_LIMIT } from '../sync/syncSettings.js';

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

const SyncOptionsBody = Type.Object({
  TemporaryPath: Type.Optional(Type.Union([Type.String({ maxLength: 4096 }), Type.Null()])),
  UploadSpeedLimitBytes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e12 })),
  TranscodingCpuCoreLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_CPU_CORE_LIMIT })),
  EnableFullSpeedTranscoding: Type.Optional(Type.Boolean()),
  MaxConcurrentConversions: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CONCURRENT_CONVERSIONS })),
});

export function registerSyncAdminRoutes(app: Api, deps: Pick<AppDeps, 'outputs' | 'syncSettings'>): void {
  app.get('/Sync/OutputStore', { config: { auth: 'admin' } }, async (): Promise<OutputStoreUsage> => {
    const usage = await deps.outputs.diskUsage();
    return { Bytes: usage.bytes, Files: usage.files, Outputs: usage.outputs, Path: deps.outputs.workDir };
  });
  app.get('/System/Configuration/sync', { config: { auth: 'admin' } }, async () => deps.syncSettings.get());
  app.post('/System/Configuration/sync', { config: { auth: 'admin' }, schema: { body: SyncOptionsBody } }, async (req, reply) => {
    deps.syncSettings.update(req.body);
    return reply.status(204).send();
  });
}
