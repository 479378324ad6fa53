/** `GET /System/Info` tells an administrator which ffmpeg and ffprobe the server chose, and what they can do. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaToolchainInfo } from '../../../src/shared/api/system.js';
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';
import { createUser, signIn, startTestServer, type Session, type TestServer } from '../../helpers/server.js';
import { testToolchain } from '../../helpers/toolchain.js';

let server: TestServer;
let admin: Session;
let user: Session;

beforeAll(async () => {
  server = await startTestServer({ adminUser: 'admin', adminPassword: 'pw' });
  await ensureAdministrator(server.built.deps);
  admin = await signIn(server.url, 'admin', 'pw');
  await createUser(server.url, admin, 'viewer');
  user = await signIn(server.url, 'viewer', 'pw');
});

afterAll(() => server?.close());

describe('GET /System/Info', () => {
  it('shows the administrator the chosen binaries, their versions, encoders and the filters conversion needs', async () => {
    const chosen = await testToolchain();
    const info = (await admin.json('GET', '/System/Info')).MediaToolchain as MediaToolchainInfo;
    expect(info.Ffmpeg).toMatchObject({ Path: chosen.ffmpeg, Version: chosen.ffmpegInfo.version, SelfTest: 'passed' });
    expect(info.Ffprobe).toMatchObject({ Path: chosen.ffprobe, SelfTest: 'passed' });
    expect(info.Encoders).toContain('libx264');
    expect(info.Encoders).toContain('aac');
    for (const f of ['zscale', 'tonemap', 'bwdif', 'yadif']) expect(info.Filters[f]).toBe(chosen.hasFilter(f));
    expect(info.Filters.scale).toBe(true);
    expect(info.Images?.Sharp).toMatch(/^\d+\.\d+/);
    expect(['sharp', 'heif-convert', 'none']).toContain(info.Images?.HeicDecoder);
    expect(info.SelectedInMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps server paths from users who are not administrators', async () => {
    const info = await user.json('GET', '/System/Info');
    expect(info.Id).toBeDefined();
    expect(info.MediaToolchain).toBeUndefined();
  });
});
