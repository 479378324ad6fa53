/**
 * Parses `MediaBrowser Client="…", Device="…", DeviceId="…", Version="…", Token="…"` — the identity every
 * Emby client sends in X-Emby-Authorization (or Authorization). Values may be URL-encoded.
 */
export interface ClientIdentity {
  client?: string;
  device?: string;
  deviceId?: string;
  version?: string;
  userId?: string;
  token?: string;
}

const PAIR = /(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g;

export function parseAuthorizationHeader(header: string | undefined): ClientIdentity {
  if (!header) return {};
  const trimmed = header.replace(/^\s*(MediaBrowser|Emby)\s+/i, '');
  const out: ClientIdentity = {};
  for (const m of trimmed.matchAll(PAIR)) {
    const key = m[1].toLowerCase();
    let value = m[2] ?? m[3] ?? '';
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not URL-encoded after all: keep it verbatim.
    }
    if (value === '') continue;
    if (key === 'client') out.client = value;
    else if (key === 'device') out.device = value;
    else if (key === 'deviceid') out.deviceId = value;
    else if (key === 'version') out.version = value;
    else if (key === 'userid') out.userId = value;
    else if (key === 'token') out.token = value;
  }
  return out;
}
