/**
 * Expected failures as values: services and the rest of the domain throw these; they know no HTTP. The one
 * Fastify error handler (`http/errorHandler.ts`) maps each kind to a status and `{ error, message }`
 * (API.md §1). Repositories return `undefined` instead of throwing; anything else that reaches the handler
 * is a bug and is logged as one.
 */
export type ErrorKind =
  | 'Invalid'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'Conflict'
  | 'TooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'Unavailable'
  | 'ProcessingFailed';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** The wire `error` code; Emby clients read `X-Application-Error-Code`. */
    readonly code: string = kind === 'Invalid' ? 'BadRequest' : kind,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'BadRequest') => new DomainError('Invalid', message, code);
export const unauthorized = (message = 'Access token is missing or invalid') => new DomainError('Unauthorized', message);
export const forbidden = (message = 'You are not allowed to do this') => new DomainError('Forbidden', message);
export const notFound = (message = 'Not found') => new DomainError('NotFound', message);
export const conflict = (message: string) => new DomainError('Conflict', message);
export const tooLarge = (message: string) => new DomainError('TooLarge', message, 'PayloadTooLarge');
export const tooManyRequests = (message: string) => new DomainError('TooManyRequests', message);
export const unavailable = (message: string, code = 'Unavailable') => new DomainError('Unavailable', message, code);
/**
 * A tool we run (ffmpeg) failed on this input: an expected, reportable failure, not a bug, so it keeps its
 * own code (`TranscodeFailed`, `SubtitleFailed`) and message instead of the handler's generic 500.
 */
export const processingFailed = (message: string, code = 'ProcessingFailed') => new DomainError('ProcessingFailed', message, code);
