import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/e2e/browser';

/**
 * E2E against the real server: no `webServer` — each spec file gets its own server with a temp data dir
 * (tests/e2e/fixtures.ts), so specs never share state. Run `npm run test:e2e` (it builds dist/app first).
 * Chromium comes from apt (/usr/bin/chromium); Playwright's own browser download cannot work here.
 */

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  // The first start generates and scans the demo library (up to a minute on 2 cores).
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? '.playwright-results.json' }]],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
