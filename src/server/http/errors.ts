/**
 * An expected failure with a wire shape. Services throw these; the Fastify error handler maps them to
 * `{ error, message }` with the status. Anything else reaching the handler is a bug and is logged.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, 'BadRequest', message);
export const unauthorized = (message = 'Access token is missing or invalid') => new HttpError(401, 'Unauthorized', message);
export const forbidden = (message = 'You are not allowed to do this') => new HttpError(403, 'Forbidden', message);
export const notFound = (message = 'Not found') => new HttpError(404, 'NotFound', message);
export const conflict = (message: string) => new HttpError(409, 'Conflict', message);
