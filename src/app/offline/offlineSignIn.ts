/**
 * Offline sign-in without keeping a password: at an online sign-in the page derives a salted
 * PBKDF2-SHA-256 verifier from the password and keeps it in Dexie (`credentials`), next to the user data
 * GET /Users/{id}/Offline returned. With no network, the same derivation from what the person types must
 * give the same bytes. The verifier only unlocks what is already on this device; it is no server token.
 */
import type { CredentialRow } from '../../../sw/db';

/** OWASP's 2023 floor for PBKDF2-HMAC-SHA-256; ~0.1–0.3 s in a browser, paid once per sign-in. */
export const OFFLINE_ITERATIONS = 210_000;

const loadDb = () => import('../../../sw/db');

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export async function deriveVerifier(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return toBase64(new Uint8Array(bits));
}

export interface CredentialOwner {
  serverUrl: string;
  serverId: string;
  userId: string;
  userName: string;
  deviceId: string;
}

export async function makeCredential(owner: CredentialOwner, password: string, iterations = OFFLINE_ITERATIONS): Promise<CredentialRow> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return {
    key: `${owner.serverId}/${owner.userId}`,
    serverUrl: owner.serverUrl,
    serverId: owner.serverId,
    userId: owner.userId,
    userName: owner.userName,
    deviceId: owner.deviceId,
    salt: toBase64(salt),
    verifier: await deriveVerifier(password, salt, iterations),
    iterations,
  };
}

/** Compares every character (no early exit), so timing says nothing about how much matched. */
export async function verifyCredential(row: CredentialRow, password: string): Promise<boolean> {
  const got = await deriveVerifier(password, fromBase64(row.salt), row.iterations);
  if (got.length !== row.verifier.length) return false;
  let diff = 0;
  for (let i = 0; i < got.length; i++) diff |= got.charCodeAt(i) ^ row.verifier.charCodeAt(i);
  return diff === 0;
}

/** After an online sign-in: keep (or refresh) this user's verifier. Failure only costs offline sign-in. */
export async function rememberCredential(owner: CredentialOwner, password: string): Promise<void> {
  try {
    const { openDb } = await loadDb();
    await openDb().credentials.put(await makeCredential(owner, password));
  } catch (err) {
    console.warn('could not keep the offline sign-in verifier', err);
  }
}

/** The stored verifier for this server address and user name (names compare case-insensitively, as the server does). */
export async function findCredential(serverUrl: string, userName: string): Promise<CredentialRow | undefined> {
  const { openDb } = await loadDb();
  const rows = await openDb().credentials.where('serverUrl').equals(serverUrl).toArray();
  const wanted = userName.trim().toLowerCase();
  return rows.find((r) => r.userName.toLowerCase() === wanted);
}
