/** The camera upload's own refusals, as domain errors (mapped to 413, 415 and 409 by the error handler). */
import { DomainError, tooLarge } from '../errors.js';

export const uploadTooLarge = (max: number) => tooLarge(`The file is larger than this server accepts (${max} bytes)`);
export const unsupportedType = (what: string) =>
  new DomainError('UnsupportedMediaType', `Only photos and videos can be uploaded (${what})`);

/** Offset mismatch: the answer carries the offset the server holds so the client continues from there. */
export class OffsetConflict extends DomainError {
  constructor(readonly offset: number) {
    super('Conflict', `The upload continues at byte ${offset}`);
  }
}
