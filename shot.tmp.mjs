import { chromium } from '@playwright/test';
const url = 'http://127.0.0.1:8105';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const phone = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
const ctx = await b.newContext(process.argv[2] === 'desktop' ? { viewport: { width: 1366, height: 900 } } : phone);
const p = await ctx.newPage();
p.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console:', m.text()); });
await p.goto(url);
await p.getByLabel('User name').fill('admin');
await p.getByLabel('Password').fill('pw');
await p.getByRole('button', { name: 'Sign in' }).click();
await p.waitForTimeout(4000);
const tag = process.argv[2] ?? 'phone';
await p.screenshot({ path: `/tmp/shots/${tag}-home.png` });
for (const path of (process.argv[3] ?? '').split(',').filter(Boolean)) {
  await p.goto(url + path); await p.waitForTimeout(2500);
  await p.screenshot({ path: `/tmp/shots/${tag}${path.replace(/\//g, '_')}.png` });
}
await b.close();
