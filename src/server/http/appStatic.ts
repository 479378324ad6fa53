import fastifyStatic from '@fastify/static';
import type { FastifyInstance, RouteOptions } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import type { AppDeps } from '../appDeps.js';

/**
 * Serves the built PWA. index.html and sw.js must never be cached by HTTP caches: the service worker's
 * own precache is what keeps the app offline, and a stale sw.js would pin users to an old version.
 * Hashed assets are immutable. The shell needs no token (it is what signs you in).
 */
export function appShellIndex(appDir: string): string | undefined {
  const index = path.join(appDir, 'index.html');
  return fs.existsSync(index) ? index : undefined;
}

export async function registerAppStatic(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const root = deps.config.appDir;
  if (!appShellIndex(root)) {
    deps.log.warn({ root }, 'app not built: run `npm run build` (npm start does it) to serve the web app');
    return;
  }
  await app.register(async (child) => {
    child.addHook('onRoute', (route: RouteOptions) => {
      route.config = { ...(route.config as object), auth: 'none' };
    });
    await child.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      setHeaders(res, filePath) {
        const name = path.basename(filePath);
        if (name === 'index.html' || name === 'sw.js' || name.endsWith('.webmanifest')) {
          res.header('Cache-Control', 'no-cache');
        } else if (filePath.includes(`${path.sep}assets${path.sep}`)) {
          res.header('Cache-Control', 'public, max-age=31536000, immutable');
        }
      },
    });
  });
}

/** Client-side routes (a reload on /items/…) get the shell; everything else keeps its JSON 404. */
export function spaFallback(index: string | undefined) {
  return (method: string, accept: string | undefined): fs.ReadStream | undefined =>
    index && method === 'GET' && (accept ?? '').includes('text/html') ? fs.createReadStream(index) : undefined;
}
