/**
 * Who this browser is to the server. The DeviceId is the sync TargetId, so it must outlive sign-outs and
 * reloads: it is made once per browser profile and kept in localStorage (read synchronously by the page)
 * AND IndexedDB (the only one of the two a service worker can read, for the later sync loop).
 */
// Dexie is loaded on demand (it is most of a bundle's weight and only sign-in needs it so far).
const loadDb = () => import('../../../sw/db');

export const DEVICE_ID_KEY = 'stowaway.deviceId';
export const APP_NAME = 'Stowaway Web';
export const APP_VERSION = '0.1.0';

/** 32 hex chars; getRandomValues, not randomUUID, because the latter is missing on plain-http LAN addresses. */
export function newDeviceId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function readLocal(): string | undefined {
  try {
    return localStorage.getItem(DEVICE_ID_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function writeLocal(id: string): void {
  try {
    localStorage.setItem(DEVICE_ID_KEY, id);
  } catch {
    // Storage disabled: IndexedDB (if any) still keeps the id.
  }
}

/**
 * Either store may have been cleared on its own (a user clearing "site data" partly, a private window);
 * whichever still has the id wins and heals the other, so the server keeps seeing the same device.
 */
export async function ensureDeviceId(): Promise<string> {
  const local = readLocal();
  let stored: string | undefined;
  try {
    stored = await (await loadDb()).readMeta<string>('deviceId');
  } catch {
    stored = undefined; // No IndexedDB (some private modes): localStorage alone must do.
  }
  const id = local ?? stored ?? newDeviceId();
  if (local !== id) writeLocal(id);
  if (stored !== id) {
    try {
      await (await loadDb()).writeMeta('deviceId', id);
    } catch {
      // Best effort, see above.
    }
  }
  return id;
}

/** A name a person recognises in the server's device list: "Chrome on Linux". */
export function describeBrowser(ua: string = navigator.userAgent): string {
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrom(e|ium)\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : 'Browser';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'iOS'
      : /Mac OS X/.test(ua)
        ? 'macOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : undefined;
  return os ? `${browser} on ${os}` : browser;
}

/**
 * The name this browser reports: the platform and a short suffix from its DeviceId ("Chrome on Android ·
 * 7F2"), so five "Chrome on Linux" can be told apart in device lists before anyone renames them. The
 * suffix is stable (the DeviceId is), so the name does not change from one sign-in to the next.
 */
export function deviceName(deviceId: string, ua: string = navigator.userAgent): string {
  const suffix = deviceId
    .replace(/[^0-9a-f]/gi, '')
    .slice(-3)
    .toUpperCase();
  return suffix ? `${describeBrowser(ua)} · ${suffix}` : describeBrowser(ua);
}
