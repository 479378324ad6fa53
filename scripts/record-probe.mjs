// Records what a real browser answers to the profile builder's questions, as JSON on stdout:
//   node scripts/record-probe.mjs [/path/to/chromium] > tests/unit/app/probes/chromium.json
// The bundle is served from a real http origin because MediaCapabilities needs a secure context.
import { build } from 'esbuild';
import http from 'node:http';
import { chromium } from 'playwright-core';

const bundle = await build({
  entryPoints: ['src/app/profile/record.ts'],
  bundle: true,
  format: 'iife',
  globalName: 'StowawayProbe',
  write: false,
});
const script = bundle.outputFiles[0].text;
const server = http.createServer((req, res) => {
  if (req.url === '/probe.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
  res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/probe.js"></script>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({ executablePath: process.argv[2] ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const recorded = await page.evaluate(() => globalThis.StowawayProbe.recordBrowserAnswers());
  process.stdout.write(`${JSON.stringify(recorded, null, 2)}\n`);
} finally {
  await browser.close();
  server.close();
}
