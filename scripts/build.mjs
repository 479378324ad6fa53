// `npm run build`: the app (Vite → dist/app), then the service worker (esbuild, one IIFE file) with the
// precache manifest injected by workbox-build. Two steps because Vite's own bundle is ESM with chunks,
// while a classic-script SW works in every browser (module service workers are not in all Safari/Firefox
// versions we target).
//
// `--test-hooks` compiles the service worker's test-only messages in (sw/sync/testHooks.ts: simulated
// quota, small chunks); `npm run test:e2e` and `npm run bench` pass it, `npm run build` does not, and a
// build without it fails if any test hook survived into sw.js.
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { injectManifest } from 'workbox-build';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'app');
const started = Date.now();
const testHooks = process.argv.includes('--test-hooks');

await viteBuild({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });

const tmp = mkdtempSync(path.join(os.tmpdir(), 'stowaway-sw-'));
try {
  const swSrc = path.join(tmp, 'sw.js');
  await esbuild({
    entryPoints: [path.join(root, 'sw', 'sw.ts')],
    outfile: swSrc,
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    sourcemap: false,
    // Workbox strips its dev logging on this; without it the SW carries (and prints) debug messages.
    define: { 'process.env.NODE_ENV': '"production"', __SW_TEST_HOOKS__: String(testHooks) },
    logLevel: 'warning',
  });
  const { count, size, warnings } = await injectManifest({
    swSrc,
    swDest: path.join(outDir, 'sw.js'),
    globDirectory: outDir,
    globPatterns: ['**/*.{js,css,html,png,svg,webmanifest,ico}'],
    globIgnores: ['sw.js'],
    // Vite's hashed file names already change with content; Workbox need not add its own revision.
    dontCacheBustURLsMatching: /^assets\//,
    maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
  });
  for (const w of warnings) console.warn(`workbox: ${w}`);
  const hooksInside = readFileSync(path.join(outDir, 'sw.js'), 'utf8').includes('test-config');
  if (hooksInside !== testHooks) throw new Error(`sw.js ${testHooks ? 'lacks' : 'carries'} the test hooks (test-config)`);
  console.log(
    `built dist/app and sw.js${testHooks ? ' with test hooks' : ''} (precaching ${count} files, ${(size / 1024).toFixed(0)} KiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
