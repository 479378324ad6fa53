import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets, redactUrl } from '../../src/server/logger.js';

const TOKEN = '0123456789abcdef0123456789abcdef';

/** Every spelling the auth plugin accepts for the token in a query (keys are percent-decoded, any case). */
const SPELLINGS = ['api_key', 'API_KEY', 'ApiKey', 'api%5Fkey', 'api%5fKEY', '%61pi_key', '%41%50%49%4B%45%59', 'x-emby-token', 'Pw'];

function capture(level = 'trace') {
  let text = '';
  const log = createLogger(level, { write: (line: string) => void (text += line) });
  return { log, text: () => text };
}

describe('redactUrl', () => {
  it('hides the value of every spelling of a secret parameter and keeps the rest of the URL', () => {
    for (const key of SPELLINGS) {
      const out = redactUrl(`/Users/Me?Format=json&${key}=${TOKEN}&Limit=5`);
      expect(out, key).toBe(`/Users/Me?Format=json&${key}=[redacted]&Limit=5`);
    }
  });

  it('leaves parameters that only resemble a secret alone, and survives malformed escapes', () => {
    expect(redactUrl(`/Items?api_keys=1&monkey=2&Name=api_key`)).toBe('/Items?api_keys=1&monkey=2&Name=api_key');
    expect(redactUrl(`/Items?%E0%A4%A=1&api_key=${TOKEN}`)).toBe('/Items?%E0%A4%A=1&api_key=[redacted]');
  });
});

describe('redactSecrets', () => {
  it('finds secret parameters anywhere in a text, not only at the start of a URL', () => {
    const text = `GET http://127.0.0.1/emby/Videos/x/main.m3u8?PlaySessionId=1&api%5Fkey=${TOKEN} failed; retry ?%61pi_key=${TOKEN}`;
    expect(redactSecrets(text)).not.toContain(TOKEN);
    // A URL inside another parameter's value (a return address) is scrubbed as well.
    expect(redactSecrets(`/web/index.html?next=/Users/Me?api_key=${TOKEN}`)).toBe('/web/index.html?next=/Users/Me?api_key=[redacted]');
  });
});

describe('createLogger', () => {
  it('keeps tokens out of every level and every field: messages, errors with their stacks, nested values', () => {
    const { log, text } = capture();
    for (const key of SPELLINGS) {
      const url = `/Sync/JobItems/1/File?${key}=${TOKEN}`;
      log.trace({ req: { method: 'GET', url } }, 'incoming request');
      log.debug({ url }, 'debug');
      log.info(`requested ${url}`);
      log.warn({ detail: { nested: [url] } }, 'warn');
      log.error({ err: new Error(`could not fetch http://127.0.0.1${url}`) }, 'error');
      log.fatal(new Error(url));
    }
    expect(text()).toContain('/Sync/JobItems/1/File');
    expect(text()).not.toContain(TOKEN);
    // Still one JSON object per line.
    for (const line of text().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });
});
