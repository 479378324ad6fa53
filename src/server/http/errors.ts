/**
 * HTTP-only failures (a Range that cannot be satisfied, a status no domain rule names). Domain code throws
 * `DomainError` (`../errors.ts`) instead; the helpers are re-exported here for the routes that still
 * import them from this module.
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

export { badRequest, unauthorized, forbidden, notFound, conflict } from '../errors.js';
