/**
 * A first start without a media folder: the server answers at once, `GET /Library/Status` says the demo
 * library is being prepared (files done of total) so the app can show "Preparing the library…", and the
 * library is there when the status is idle again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';
import { signIn, startTestServer, type Session, type TestServer } from '../../helpers/server.js';

let server: TestServer;
let admin: Session;

beforeAll(async () => {
  server = await startTestServer({ adminUser: 'admin', adminPassword: 'pw' });
  await ensureAdministrator(server.built.deps);
  admin = await signIn(server.url, 'admin', 'pw');
});

afterAll(() => server?.close());

describe('first start', () => {
  it('reports preparing the demo library, then a scan, then idle with the library in place', async () => {
    const seen: Array<{ Phase: string; Done: number; Total: number; IsScanning: boolean }> = [];
    const background = server.built.deps.startBackground!();
    let finished = false;
    void background.finally(() => (finished = true));
    while (!finished) {
      seen.push(await admin.json('GET', '/Library/Status'));
      await new Promise((r) => setTimeout(r, 20));
    }
    await background;
    const generating = seen.filter((s) => s.Phase === 'GeneratingDemo');
    expect(generating.length).toBeGreaterThan(0);
    expect(generating.every((s) => s.Total === generating[0]!.Total && s.Done <= s.Total && s.Total > 10)).toBe(true);
    // Then the scan, with files done of the files found.
    expect(seen.some((s) => s.IsScanning && s.Phase === 'Probing' && s.Total > 10 && s.Done <= s.Total)).toBe(true);
    const after = await admin.json('GET', '/Library/Status');
    expect(after).toEqual({ IsScanning: false, Phase: 'Idle', Done: 0, Total: 0 });
    const report = await admin.json('GET', '/Library/ScanReport');
    expect(report.Progress).toEqual({ Phase: 'Idle', Done: 0, Total: 0 });
    expect(report.LastScan.Files).toBeGreaterThan(10);
  });
});
