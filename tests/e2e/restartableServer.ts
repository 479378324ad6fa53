/**
 * A real server that a test can stop and start again on the same port and data dir — a server that
 * really goes away (connections refused), not DevTools' offline emulation, which here neither drops an
 * open EventSource nor keeps `navigator.onLine` false across a reload of a service-worker page. Same
 * origin after the restart, so the page and its service worker carry on as they would at home.
 */
import fs from 'node:fs';
import { buildApp, type BuiltApp } from '../../src/server/app';
import { loadConfig, type ServerConfig } from '../../src/server/config';
import { createLogger } from '../../src/server/logger';
import { ensureAdministrator } from '../../src/server/system/firstRun';
import { tempDir } from '../helpers/media';
import { signIn, type Session } from '../helpers/server';
import { ADMIN_PASSWORD, ADMIN_USER, APP_DIR } from './fixtures';

export class RestartableServer {
  private built?: BuiltApp;
  private port = 0;
  readonly dataDir = tempDir('stowaway-e2e-restart-');
  admin!: Session;
  ids: Record<string, string> = {};
  /** "METHOD /path?query" of every request the server received, in order (across restarts). */
  readonly requests: string[] = [];

  constructor(private readonly mediaDirs: string[]) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.built !== undefined;
  }

  /** First start: scans the media and signs the administrator in through the API. */
  async start(): Promise<void> {
    await this.listen();
    await ensureAdministrator(this.built!.deps);
    await this.built!.deps.library.scanner.scan();
    this.admin = await signIn(this.url, ADMIN_USER, ADMIN_PASSWORD, 'e2e-node');
    const rows = this.built!.deps.db.prepare('SELECT id, name FROM items').all() as { id: string; name: string }[];
    this.ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  }

  /** Stops answering: the port refuses connections until `restart`. */
  async stop(): Promise<void> {
    const b = this.built;
    this.built = undefined;
    b?.app.server.closeAllConnections();
    await b?.close();
  }

  async restart(): Promise<void> {
    await this.listen();
  }

  async close(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async listen(): Promise<void> {
    const config: ServerConfig = {
      ...loadConfig({}, process.cwd()),
      port: this.port,
      host: '127.0.0.1',
      dataDir: this.dataDir,
      mediaDirs: this.mediaDirs,
      watch: false,
      logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
      appDir: APP_DIR,
      adminUser: ADMIN_USER,
      adminPassword: ADMIN_PASSWORD,
    };
    this.built = await buildApp(config, createLogger(config.logLevel));
    await this.built.app.listen({ port: this.port, host: '127.0.0.1' });
    this.built.app.server.prependListener('request', (req) => this.requests.push(`${req.method} ${req.url}`));
    const address = this.built.app.server.address();
    this.port = typeof address === 'object' && address ? address.port : this.port;
  }
}
