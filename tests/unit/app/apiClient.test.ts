// @vitest-environment happy-dom
/** The fetch client: identity headers, and failures turned into ApiErrors a person can read. */
import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, authorizationHeader, normaliseServerUrl, type ClientIdentity } from '../../../src/app/api/client';

const identity: ClientIdentity = { client: 'Stowaway Web', device: 'Chrome on Linux', deviceId: 'abc123', version: '0.1.0' };

interface Call {
  url: string;
  init: RequestInit;
}

function clientAnswering(respond: (call: Call) => Response | Promise<Response>, token?: string) {
  const calls: Call[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const call = { url, init };
    calls.push(call);
    return respond(call);
  }) as unknown as typeof fetch;
  return { api: new ApiClient('http://server:8096/', identity, token, token ? 'user1' : undefined, fetchImpl), calls };
}

async function caught(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected an ApiError');
}

describe('ApiClient requests', () => {
  it('sends the Emby identity header, the token and a JSON body', async () => {
    const { api, calls } = clientAnswering(() => new Response('{"ok":true}', { status: 200 }), 'tok');
    expect(await api.post('/Users/AuthenticateByName', { Username: 'a', Pw: 'b' })).toEqual({ ok: true });
    const headers = calls[0].init.headers as Record<string, string>;
    expect(calls[0].url).toBe('http://server:8096/Users/AuthenticateByName');
    expect(headers['X-Emby-Authorization']).toBe(
      'MediaBrowser Client="Stowaway Web", Device="Chrome on Linux", DeviceId="abc123", Version="0.1.0", UserId="user1"',
    );
    expect(headers['X-Emby-Token']).toBe('tok');
    expect(headers['Content-Type']).toBe('application/json');
    expect(calls[0].init.body).toBe('{"Username":"a","Pw":"b"}');
  });

  it('builds query strings without empty values and joins arrays as CSV', async () => {
    const { api, calls } = clientAnswering(() => new Response(null, { status: 204 }));
    expect(
      await api.get('/Users/u/Items', { ParentId: 'p', StartIndex: 0, Fields: ['A', 'B'], SeasonId: undefined, Empty: '' }),
    ).toBeUndefined();
    expect(calls[0].url).toBe('http://server:8096/Users/u/Items?ParentId=p&StartIndex=0&Fields=A%2CB');
  });

  it('keeps quotes and commas in a device name from breaking the header', () => {
    expect(authorizationHeader({ ...identity, device: 'Bob\'s "Phone", old' })).toContain('Device="Bob\'s  Phone   old"');
  });

  it('normalises typed server addresses', () => {
    expect(normaliseServerUrl(' media.local:8096/ ')).toBe('http://media.local:8096');
    expect(normaliseServerUrl('https://x.example/emby//')).toBe('https://x.example/emby');
  });
});

describe('ApiClient errors', () => {
  it("throws the server's own message and code from an { error, message } body", async () => {
    const { api } = clientAnswering(
      () =>
        new Response(JSON.stringify({ error: 'InvalidCredentials', message: 'Invalid user name or password' }), {
          status: 401,
          headers: { 'X-Application-Error-Code': 'InvalidCredentials' },
        }),
    );
    const err = await caught(api.post('/Users/AuthenticateByName', { Username: 'a', Pw: 'b' }));
    expect(err.status).toBe(401);
    expect(err.code).toBe('InvalidCredentials');
    expect(err.message).toBe('Invalid user name or password');
  });

  it('uses a short plain-text body as the message (older Emby servers answer errors as text)', async () => {
    const { api } = clientAnswering(() => new Response('Access token is invalid or expired.', { status: 401 }));
    expect((await caught(api.get('/Users/u/Views'))).message).toBe('Access token is invalid or expired.');
  });

  it('explains a status in words when the body says nothing useful (an HTML proxy page)', async () => {
    const { api } = clientAnswering(() => new Response('<html><body>Bad Gateway</body></html>', { status: 502 }));
    const err = await caught(api.get('/System/Info/Public'));
    expect(err.status).toBe(502);
    expect(err.code).toBe('Http502');
    expect(err.message).toBe('The server had a problem (HTTP 502). Please try again.');
  });

  it('reports an unreachable server as a network error naming the address', async () => {
    const { api } = clientAnswering(() => {
      throw new TypeError('Failed to fetch');
    });
    const err = await caught(api.get('/System/Info/Public'));
    expect(err.isNetworkError).toBe(true);
    expect(err.message).toContain('http://server:8096');
  });

  it('rejects a 200 that is not JSON instead of returning garbage', async () => {
    const { api } = clientAnswering(() => new Response('<!doctype html><html></html>', { status: 200 }));
    const err = await caught(api.get('/Users/u/Views'));
    expect(err.code).toBe('BadResponse');
  });

  it('lets an aborted request stay an AbortError (navigation away is not a failure to show)', async () => {
    const { api } = clientAnswering(() => {
      throw new DOMException('aborted', 'AbortError');
    });
    await expect(api.get('/Users/u/Views')).rejects.toMatchObject({ name: 'AbortError' });
  });
});
