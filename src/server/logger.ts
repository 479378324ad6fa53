import pino, { type DestinationStream, type Logger } from 'pino';

/** Query parameters that carry a token or a password, in any case and however often they appear. */
const SECRET_PARAM = /([?&](?:api_?key|x-emby-token|x-mediabrowser-token|access_?token|token|pw|password)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAM, '$1[redacted]');
}

/**
 * pino to stdout. Tokens travel in headers and `api_key`: redact them so logs never hold a live session.
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
  };
  // A destination only when given: tests capture the text; the server logs to stdout.
  return destination ? pino(options, destination) : pino(options);
}
