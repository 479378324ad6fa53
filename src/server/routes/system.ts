import os from 'node:os';
import type { Api, AppDeps } from '../appDeps.js';
import { SERVER_VERSION } from '../version.js';
import type { SystemInfoPublic } from '../../shared/api/users.js';

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
  app.get('/System/Info', async (req) => ({ ...info(req), HasPendingRestart: false, SupportsSync: true }));
  app.get('/System/Ping', { config: { auth: 'none' } }, async () => 'Stowaway');
  app.post('/System/Ping', { config: { auth: 'none' } }, async () => 'Stowaway');
}
