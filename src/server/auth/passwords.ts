import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

/**
 * Old Emby clients send SHA-1 hex of the password instead of the password. Storing scrypt of the SHA-1
 * hex lets both forms verify against one hash (API.md §2).
 */
export function sha1Hex(password: string): string {
  return createHash('sha1').update(password, 'utf8').digest('hex');
}

export async function hashPassword(password: string): Promise<string> {
  return hashSha1Hex(sha1Hex(password));
}

async function hashSha1Hex(sha1: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(sha1.toLowerCase(), salt, 32);
  return `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
}

export async function verifySha1Hex(stored: string, sha1: string): Promise<boolean> {
  const [scheme, saltHex, keyHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !keyHex) return false;
  const expected = Buffer.from(keyHex, 'hex');
  const actual = await scryptAsync(sha1.toLowerCase(), Buffer.from(saltHex, 'hex'), expected.length);
  return timingSafeEqual(expected, actual);
}

export function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verifySha1Hex(stored, sha1Hex(password));
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('hex');
}
