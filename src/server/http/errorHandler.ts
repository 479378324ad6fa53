import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, type ErrorKind } from '../errors.js';

const STATUS: Record<ErrorKind, number> = {
  Invalid: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  TooLarge: 413,
  UnsupportedMediaType: 415,
  TooManyRequests: 429,
  Unavailable: 503,
  ProcessingFailed: 500,
};

function send(reply: import('fastify').FastifyReply, status: number, code: string, message: string) {
  return reply.status(status).header('X-Application-Error-Code', code).send({ error: code, message });
}

/** One place that turns failures into `{ error, message }` (API.md §1); only real bugs become 500. */
export function registerErrorHandling(
  app: FastifyInstance,
  htmlFallback: (method: string, accept: string | undefined) => NodeJS.ReadableStream | undefined = () => undefined,
): void {
  app.setErrorHandler((err: FastifyError | DomainError | Error, req, reply) => {
    if (err instanceof DomainError) return send(reply, STATUS[err.kind], err.code, err.message);
    const fe = err as FastifyError;
    if (fe.validation) return send(reply, 400, 'BadRequest', fe.message);
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, 413, 'PayloadTooLarge', 'Request body is too large');
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return send(reply, fe.statusCode, fe.code ?? 'BadRequest', fe.message);
    }
    req.log.error({ err }, 'unhandled error');
    return send(reply, 500, 'InternalError', 'Something went wrong on the server');
  });
  app.setNotFoundHandler((req, reply) => {
    const shell = htmlFallback(req.method, req.headers.accept);
    if (shell) return reply.header('Cache-Control', 'no-cache').type('text/html').send(shell);
    return send(reply, 404, 'NotFound', `No route ${req.method} ${req.url.split('?')[0]}`);
  });
}
