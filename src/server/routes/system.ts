import os from 'node:os';
import type { Api, AppDeps } from '../appDeps.js';
import { SERVER_VERSION } from '../version.js';
import type { SystemInfoPublic } from '../../shared/api/users.js';
import { caller } from '../http/authPlugin.js';
import { toMediaToolchainInfo } from '../media/toolchainInfo.js';

/** Server identity for clients choosing a server (API.md §2); the public parts need no token. */
export function registerSystemRoutes(app: Api, deps: AppDeps): void {
  const info = (req: { protocol: string; host: string }): SystemInfoPublic => ({
    Id: deps.serverId,
    ServerName: os.hostname() || 'Stowaway',
    Version: SERVER_VERSION,
    ProductName: 'Stowaway',
    LocalAddress: `${req.protocol}://${req.host}`,
    OperatingSystem: process.platform,
    StartupWizardCompleted: true,
  });
  app.get('/System/Info/Public', { config: { auth: 'none' } }, async (req) => info(req));
  app.get('/System/Info', async (req) => ({
    ...info(req),
    HasPendingRestart: false,
    SupportsSync: true,
    // Ours: server paths and versions are the administrator's business only.
    ...(caller(req).user.policy.IsAdministrator
      ? { MediaToolchain: toMediaToolchainInfo(deps.toolchain, deps.library.images.capabilities()) }
      : {}),
  }));
  app.get('/System/Ping', { config: { auth: 'none' } }, async () => 'Stowaway');
  app.post('/System/Ping', { config: { auth: 'none' } }, async () => 'Stowaway');
}
