/**
 * Player failures in words a person can act on — never an endless spinner. The browser's MediaError codes
 * say little, and hls.js reports a failed segment by status only, so for server errors we fetch the URL
 * once more to read the server's `{ error, message }` body (API.md §1).
 */

export function mediaErrorMessage(error: MediaError | null): string {
  switch (error?.code) {
    case 1:
      return 'Playback was aborted.';
    case 2:
      return 'The connection to the server broke off while playing.';
    case 3:
      return 'This file is damaged or uses a format this browser cannot decode.';
    case 4:
      return 'This file could not be played: the server could not find it or the browser cannot play its format.';
    default:
      return 'Playback failed.';
  }
}

/** The server's message for a failed URL, if it sends one; undefined when it answers fine now. */
export async function serverMessageFor(url: string, token?: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { headers: token ? { 'X-Emby-Token': token } : {} });
    if (res.ok) return undefined;
    const body = (await res.json().catch(() => undefined)) as { message?: string } | undefined;
    return body?.message ?? `The server answered HTTP ${res.status}.`;
  } catch {
    return 'The server could not be reached.';
  }
}

export { clock } from '../../shared/clock';
