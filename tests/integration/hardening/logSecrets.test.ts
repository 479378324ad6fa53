import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { authHeader, createUser, signIn, startTestServer, type TestServer } from '../../helpers/server.js';
import { createLogger } from '../../../src/server/logger.js';
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';

/**
 * Debug logs are what people paste into bug reports: with every request logged, no access token and no
 * password (plain or as the SHA-1 old clients send) may appear in them, however it travelled.
 */
let server: TestServer;
let logText = '';
const ADMIN_PW = 'Adm1n-S3cret-pw';
beforeAll(async () => {
  const log = createLogger('debug', { write: (line: string) => void (logText += line) });
  server = await startTestServer({ logLevel: 'debug', adminUser: 'admin', adminPassword: ADMIN_PW }, { log });
  await ensureAdministrator(server.built.deps);
});
afterAll(() => server.close());

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

describe('secrets never reach the log', () => {
  it('sign-ins, tokens in headers and URLs, and password changes leave no token or password in a debug log', async () => {
    const url = server.url;
    const admin = await signIn(url, 'admin', ADMIN_PW, 'admin-laptop');
    const carol = await createUser(url, admin, 'carol', 'Carol-Initial-pw');
    const secrets = [
      ADMIN_PW,
      'Carol-Initial-pw',
      sha1('Carol-Initial-pw'),
      'Carol-New-pw',
      'Reset-By-Admin-pw',
      'Wrong-Guess-pw',
      admin.token,
      carol.token,
    ];

    // A failed sign-in, and an old client's SHA-1 sign-in.
    const wrong = await fetch(`${url}/Users/AuthenticateByName`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-emby-authorization': authHeader('carol-old') },
      body: JSON.stringify({ Username: 'carol', Pw: 'Wrong-Guess-pw' }),
    });
    expect(wrong.status).toBe(401);
    const legacy = await fetch(`${url}/Users/AuthenticateByName`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-emby-authorization': authHeader('carol-old') },
      body: JSON.stringify({ Username: 'carol', Password: sha1('Carol-Initial-pw') }),
    });
    expect(legacy.status).toBe(200);
    const legacyToken = ((await legacy.json()) as { AccessToken: string }).AccessToken;
    secrets.push(legacyToken);

    // The token in every place a client may put it.
    const asked = [
      await fetch(`${url}/Users/Me`, { headers: { 'X-Emby-Token': carol.token } }),
      await fetch(`${url}/Users/Me`, { headers: { 'X-MediaBrowser-Token': carol.token } }),
      await fetch(`${url}/Users/Me`, { headers: { 'X-Emby-Authorization': authHeader(carol.deviceId, carol.token) } }),
      await fetch(`${url}/Users/Me`, { headers: { Authorization: authHeader(carol.deviceId, carol.token) } }),
      await fetch(`${url}/Users/Me?api_key=${carol.token}`),
      await fetch(`${url}/Users/Me?Format=json&API_KEY=${legacyToken}`),
      await fetch(`${url}/Users/Me?ApiKey=${carol.token}`),
      // Percent-encoded keys authenticate too (the query parser decodes them), so they must be hidden too.
      await fetch(`${url}/Users/Me?api%5Fkey=${carol.token}`),
      await fetch(`${url}/Users/Me?%61pi_key=${legacyToken}`),
      await fetch(`${url}/Users/Me?Api%4Bey=${carol.token}`),
      await fetch(`${url}/Users/Me?api_key=${carol.token}&api_key=${legacyToken}`),
      await fetch(`${url}/emby/Users/Me?X-Emby-Token=${carol.token}&api_key=${carol.token}`),
      await fetch(`${url}/No/Such/Route?api_key=${carol.token}`),
    ];
    expect(asked.map((r) => r.status).slice(0, 10)).toEqual(Array(10).fill(200));
    await new Promise<void>((resolve) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/embywebsocket?api_key=${carol.token}&deviceId=${carol.deviceId}`);
      ws.once('open', () => ws.close());
      ws.once('close', () => resolve());
      ws.once('error', () => resolve());
    });

    // Password changes: by the user (current + new) and a reset by the administrator.
    expect(
      (await carol.req('POST', `/Users/${carol.userId}/Password`, { CurrentPw: 'Carol-Initial-pw', NewPw: 'Carol-New-pw' })).status,
    ).toBe(204);
    expect(
      (await carol.req('POST', `/Users/${carol.userId}/Password`, { CurrentPw: 'Wrong-Guess-pw', NewPw: 'Carol-New-pw' })).status,
    ).toBe(403);
    // (The reset ends Carol's sessions, so her wrong guess above had to come first.)
    expect((await admin.req('POST', `/Users/${carol.userId}/Password`, { NewPw: 'Reset-By-Admin-pw' })).status).toBe(204);
    await signIn(url, 'carol', 'Reset-By-Admin-pw', 'carol-tablet').then((s) => secrets.push(s.token));

    // The log did record these requests (the test is not vacuous)...
    expect(logText).toContain('/Users/Me');
    expect(logText).toContain('/Users/AuthenticateByName');
    expect(logText).toContain('/Password');
    // ...and holds none of the secrets.
    for (const secret of secrets) expect(logText, `log contains ${secret.slice(0, 4)}…`).not.toContain(secret);
  });
});
