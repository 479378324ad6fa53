import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeader, createUser, signIn, startTestServer, type Session, type TestServer } from '../../helpers/server.js';
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';
import { sha1Hex } from '../../../src/server/auth/passwords.js';

let server: TestServer;
let admin: Session;

beforeAll(async () => {
  server = await startTestServer({ adminUser: 'root', adminPassword: 'secret' });
  await ensureAdministrator(server.built.deps);
  admin = await signIn(server.url, 'root', 'secret', 'admin-device');
});
afterAll(() => server.close());

describe('authentication', () => {
  it('answers System/Info/Public without a token and hides everything else', async () => {
    const pub = await fetch(`${server.url}/System/Info/Public`);
    expect(pub.status).toBe(200);
    const info = await pub.json();
    expect(info.Id).toMatch(/^[0-9a-f]{32}$/);
    expect(info.Version).toBe('3.2.0.0');
    const denied = await fetch(`${server.url}/System/Info`);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ error: 'Unauthorized' });
  });

  it('serves the API under /emby and /mediabrowser, case-insensitively', async () => {
    for (const p of ['/emby/System/Info/Public', '/mediabrowser/system/info/public', '/EMBY/system/INFO/public']) {
      const res = await fetch(`${server.url}${p}`);
      expect(res.status, p).toBe(200);
    }
  });

  it('signs in by name and returns User, AccessToken, ServerId and SessionInfo', async () => {
    const res = await fetch(`${server.url}/Users/AuthenticateByName`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-emby-authorization': authHeader('d1', undefined, 'Web', 'Laptop') },
      body: JSON.stringify({ Username: 'ROOT', Pw: 'secret' }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.AccessToken).toMatch(/^[0-9a-f]{64}$/);
    expect(body.User.Name).toBe('root');
    expect(body.User.Policy.IsAdministrator).toBe(true);
    expect(body.SessionInfo).toMatchObject({ DeviceId: 'd1', DeviceName: 'Laptop', Client: 'Web', UserId: body.User.Id });
  });

  it('accepts the token from every place Emby clients put it', async () => {
    const t = admin.token;
    const variants: Array<[string, RequestInit]> = [
      ['/System/Info', { headers: { 'X-Emby-Token': t } }],
      ['/System/Info', { headers: { 'X-MediaBrowser-Token': t } }],
      ['/System/Info', { headers: { 'X-Emby-Authorization': authHeader('admin-device', t) } }],
      ['/System/Info', { headers: { Authorization: authHeader('admin-device', t) } }],
      [`/System/Info?api_key=${t}`, {}],
      [`/System/Info?API_KEY=${t}`, {}],
    ];
    for (const [p, init] of variants) expect((await fetch(`${server.url}${p}`, init)).status).toBe(200);
    expect((await fetch(`${server.url}/System/Info`, { headers: { 'X-Emby-Token': 'nope' } })).status).toBe(401);
  });

  it('verifies the SHA-1 password form of old clients', async () => {
    const res = await fetch(`${server.url}/Users/AuthenticateByName`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-emby-authorization': authHeader('old') },
      body: JSON.stringify({ Username: 'root', Password: sha1Hex('secret') }),
    });
    expect(res.status).toBe(200);
  });

  it('rejects a wrong password with 401 and throttles repeated failures with 429', async () => {
    await admin.json('POST', '/Users/New', { Name: 'victim', Password: 'right' });
    const attempt = () =>
      fetch(`${server.url}/Users/AuthenticateByName`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-emby-authorization': authHeader('x') },
        body: JSON.stringify({ Username: 'victim', Pw: 'wrong' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses[9]).toBe(429);
  });

  it('logs out: the token stops working', async () => {
    const s = await signIn(server.url, 'root', 'secret', 'logout-device');
    expect((await s.req('GET', '/System/Info')).status).toBe(200);
    expect((await s.req('POST', '/Sessions/Logout')).status).toBe(204);
    expect((await s.req('GET', '/System/Info')).status).toBe(401);
  });

  it('reports a malformed body as 400 JSON, never 500', async () => {
    const res = await fetch(`${server.url}/Users/AuthenticateByName`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-emby-authorization': authHeader('x') },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBeTruthy();
  });
});

describe('users and policy', () => {
  it('lets only administrators list and create users', async () => {
    const bob = await createUser(server.url, admin, 'bob');
    expect((await bob.req('GET', '/Users')).status).toBe(403);
    expect((await bob.req('POST', '/Users/New', { Name: 'eve' })).status).toBe(403);
    const all = await admin.json<any[]>('GET', '/Users');
    expect(all.map((u) => u.Name)).toEqual(expect.arrayContaining(['root', 'bob']));
  });

  it('shows a user to themself and admins, 404 to others', async () => {
    const carol = await createUser(server.url, admin, 'carol');
    const dave = await createUser(server.url, admin, 'dave');
    expect((await carol.req('GET', `/Users/${carol.userId}`)).status).toBe(200);
    expect((await admin.req('GET', `/Users/${carol.userId}`)).status).toBe(200);
    expect((await dave.req('GET', `/Users/${carol.userId}`)).status).toBe(404);
    expect((await carol.req('GET', `/Users/00000000000000000000000000000000`)).status).toBe(404);
    expect((await carol.req('GET', `/Users/not-a-guid`)).status).toBe(404);
  });

  it('updates policy (admin only) and a disabled user loses their session at once', async () => {
    const erin = await createUser(server.url, admin, 'erin');
    expect((await erin.req('POST', `/Users/${erin.userId}/Policy`, { IsAdministrator: true })).status).toBe(403);
    await admin.json('POST', `/Users/${erin.userId}/Policy`, { EnableSync: false, EnableSyncTranscoding: 'false' });
    const me = await erin.json('GET', `/Users/${erin.userId}`);
    expect(me.Policy).toMatchObject({ EnableSync: false, EnableSyncTranscoding: false, IsAdministrator: false });
    await admin.json('POST', `/Users/${erin.userId}/Policy`, { IsDisabled: true });
    expect((await erin.req('GET', '/System/Info')).status).toBe(401);
    const again = await fetch(`${server.url}/Users/AuthenticateByName`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-emby-authorization': authHeader('e2') },
      body: JSON.stringify({ Username: 'erin', Pw: 'pw' }),
    });
    expect(again.status).toBe(401);
  });

  it('changes a password: old fails, new works', async () => {
    const fay = await createUser(server.url, admin, 'fay', 'one');
    expect((await fay.req('POST', `/Users/${fay.userId}/Password`, { CurrentPw: 'bad', NewPw: 'two' })).status).toBe(403);
    expect((await fay.req('POST', `/Users/${fay.userId}/Password`, { CurrentPw: 'one', NewPw: 'two' })).status).toBe(204);
    await expect(signIn(server.url, 'fay', 'one')).rejects.toThrow();
    await signIn(server.url, 'fay', 'two');
  });

  it('a password change ends the user’s other sessions and keeps the one that made it', async () => {
    await createUser(server.url, admin, 'ida', 'one');
    const phone = await signIn(server.url, 'ida', 'one', 'ida-phone');
    const laptop = await signIn(server.url, 'ida', 'one', 'ida-laptop');
    expect((await phone.req('POST', `/Users/${phone.userId}/Password`, { CurrentPw: 'one', NewPw: 'two' })).status).toBe(204);
    expect((await phone.req('GET', '/System/Info')).status).toBe(200);
    expect((await laptop.req('GET', '/System/Info')).status).toBe(401);
    // An administrator's reset ends every session of that user; the administrator's own stays.
    const tablet = await signIn(server.url, 'ida', 'two', 'ida-tablet');
    expect((await admin.req('POST', `/Users/${phone.userId}/Password`, { NewPw: 'three' })).status).toBe(204);
    for (const s of [phone, tablet]) expect((await s.req('GET', '/System/Info')).status).toBe(401);
    expect((await admin.req('GET', '/System/Info')).status).toBe(200);
    // …and a reset to no password as well.
    const again = await signIn(server.url, 'ida', 'three', 'ida-phone');
    expect((await admin.req('POST', `/Users/${again.userId}/Password`, { ResetPassword: true })).status).toBe(204);
    expect((await again.req('GET', '/System/Info')).status).toBe(401);
    await signIn(server.url, 'ida', '', 'ida-phone');
  });

  it('a device taken out of the user’s policy loses its session at once', async () => {
    const jo = await createUser(server.url, admin, 'jo');
    const allowed = await signIn(server.url, 'jo', 'pw', 'jo-allowed');
    const removed = await signIn(server.url, 'jo', 'pw', 'jo-removed');
    await admin.json('POST', `/Users/${jo.userId}/Policy`, { EnableAllDevices: false, EnabledDevices: ['jo-allowed'] });
    expect((await allowed.req('GET', '/System/Info')).status).toBe(200);
    expect((await removed.req('GET', '/System/Info')).status).toBe(401);
    await expect(signIn(server.url, 'jo', 'pw', 'jo-removed')).rejects.toThrow(/403/);
  });

  it('deletes a user (admin) and their tokens stop working', async () => {
    const gus = await createUser(server.url, admin, 'gus');
    expect((await admin.req('DELETE', `/Users/${gus.userId}`)).status).toBe(204);
    expect((await gus.req('GET', '/System/Info')).status).toBe(401);
    expect((await admin.req('DELETE', `/Users/${gus.userId}`)).status).toBe(404);
  });

  it('creating the same name twice at once gives one user and a 400, never a 500', async () => {
    const [a, b] = await Promise.all([
      admin.req('POST', '/Users/New', { Name: 'twin', Password: 'x' }),
      admin.req('POST', '/Users/New', { Name: 'TWIN', Password: 'y' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    const all = await admin.json<any[]>('GET', '/Users');
    expect(all.filter((u) => u.Name.toLowerCase() === 'twin')).toHaveLength(1);
  });

  it('lists public users without a token', async () => {
    const res = await fetch(`${server.url}/Users/Public`);
    expect(res.status).toBe(200);
    const list = await res.json();
    expect(list[0]).not.toHaveProperty('Policy');
  });
});

describe('devices and capabilities', () => {
  it('records the device from the auth header and stores capabilities with the profile', async () => {
    const s = await signIn(server.url, 'root', 'secret', 'phone-1');
    const profile = { MaxStaticBitrate: '4000000', DirectPlayProfiles: [{ Container: 'mp4', Type: 'Video' }] };
    expect(
      (
        await s.req('POST', '/Sessions/Capabilities/Full', {
          SupportsSync: true,
          PlayableMediaTypes: 'Audio,Video',
          DeviceProfile: profile,
        })
      ).status,
    ).toBe(204);
    const devices = await admin.json('GET', '/Devices');
    const phone = devices.Items.find((d: any) => d.Id === 'phone-1');
    expect(phone.Capabilities.SupportsSync).toBe(true);
    expect(phone.Capabilities.PlayableMediaTypes).toEqual(['Audio', 'Video']);
    expect(phone.Capabilities.DeviceProfile.MaxStaticBitrate).toBe('4000000');
    // The short form keeps the profile reported earlier.
    expect((await s.req('POST', '/Sessions/Capabilities?supportssync=true&PlayableMediaTypes=Video')).status).toBe(204);
    const again = await admin.json('GET', '/Devices/Info?Id=phone-1');
    expect(again.Capabilities.DeviceProfile.MaxStaticBitrate).toBe('4000000');
    expect(again.Capabilities.PlayableMediaTypes).toEqual(['Video']);
  });

  it('survives a restart: capabilities are kept in the database', async () => {
    const row = server.built.deps.devices.get('phone-1');
    expect(row?.capabilities?.SupportsSync).toBe(true);
  });

  it('shows a non-administrator only the devices they signed in on', async () => {
    const hal = await createUser(server.url, admin, 'hal');
    const list = await hal.json('GET', '/Devices');
    expect(list.Items.map((d: any) => d.Id)).toEqual([hal.deviceId]);
  });
});
