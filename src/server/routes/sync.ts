/** The /Sync API (API.md §3), one page per area. */
import type { Api, AppDeps } from '../appDeps.js';
import { registerSyncDeviceRoutes } from './syncDevice.js';
import { registerSyncJobRoutes } from './syncJobs.js';
import { registerSyncTransferRoutes } from './syncTransfer.js';

export function registerSyncRoutes(app: Api, deps: AppDeps): void {
  registerSyncJobRoutes(app, deps);
  registerSyncTransferRoutes(app, deps);
  registerSyncDeviceRoutes(app, deps);
}
