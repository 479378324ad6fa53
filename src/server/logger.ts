import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Query parameters that carry a token or a password, by their decoded, lower-cased name. The auth plugin
 * reads `api_key`/`apikey` in any case from the parsed query, and the query parser percent-decodes names —
 * so `?api%5Fkey=`, `?%61pi_key=` and `?APIKEY=` all authenticate and must all be hidden.
 */
const SECRET_NAMES: ReadonlySet<string> = new Set([
  'api_key',
  'apikey',
  'x-emby-token',
  'x-mediabrowser-token',
  'access_token',
  'accesstoken',
  'token',
  'pw',
  'password',
]);

/** A `name=value` pair after `?` or `&`, anywhere in a text (a URL, an error message, a JSON log line). */
const QUERY_PAIR = /([?&])([^=&#?\s"\\]{1,100})=([^&#?\s"\\]*)/g;

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    // A malformed escape cannot be decoded by the query parser either: it names nothing we read.
    return raw.toLowerCase();
  }
}

/** The text with the value of every secret query parameter replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  return text.replace(QUERY_PAIR, (pair, sep: string, name: string) =>
    SECRET_NAMES.has(decodedName(name)) ? `${sep}${name}=[redacted]` : pair,
  );
}

export function redactUrl(url: string): string {
  return redactSecrets(url);
}

/**
 * pino to stdout. Tokens travel in headers and `api_key`: headers are never serialised, and every line is
 * scrubbed once more as it is written — whatever field or level a URL ends up in (an error message, a
 * stack, a debug field), its secrets do not reach the log.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-emby-authorization"]',
        'req.headers["x-emby-token"]',
        'req.headers["x-mediabrowser-token"]',
        '*.Pw',
        '*.Password',
        '*.password',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(req: { method: string; url: string }) {
        return { method: req.method, url: redactUrl(req.url) };
      },
    },
    // The scrub cannot break the JSON: it only rewrites characters that JSON strings hold verbatim.
    hooks: { streamWrite: redactSecrets },
  };
  // A destination only when given: tests capture the text; the server logs to stdout.
  return destination ? pino(options, destination) : pino(options);
}
