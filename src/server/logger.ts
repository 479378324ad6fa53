import pino, { type Logger } from 'pino';

/**
 * pino to stdout. Tokens travel in headers and `api_key`: redact them so logs never hold a live session.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-emby-authorization"]', 'req.headers["x-emby-token"]', 'req.headers["x-mediabrowser-token"]', '*.Pw', '*.Password', '*.password'],
      censor: '[redacted]',
    },
    serializers: {
      req(req: { method: string; url: string }) {
        return { method: req.method, url: req.url.replace(/(api_key=)[^&]+/i, '$1[redacted]') };
      },
    },
  });
}
