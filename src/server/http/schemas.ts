/**
 * TypeBox fragments shared by routes: one schema gives Fastify its JSON schema and the handler its type.
 * Emby clients send ids dashed or not, in any case; handlers normalise them (`normalizeId`).
 * Sizes are bounded everywhere so no input reaches a recursion or spread limit (issue 14).
 */
import { Type } from 'typebox';
import { MAX_TICKS } from '../../shared/api/items.js';

export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const IdParams = Type.Object({ id: Id });
export const UserIdParams = Type.Object({ userId: Id });
/** `/Users/{userId}/Items/{id}` and its relatives. */
export const UserItemParams = Type.Object({ userId: Id, id: Id });
export const Guid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$',
});
/** A device id as clients send it (their own choice of text, not one of our ids). */
export const DeviceId = Type.String({ minLength: 1, maxLength: 256 });
/** A short free-text value (names, device ids, enum names). */
export const ShortString = Type.String({ maxLength: 256 });
/** Arrays arrive as one CSV string or repeated keys; `tolerantInput` splits them before validation. */
export const CsvStrings = Type.Array(Type.String({ maxLength: 200 }), { maxItems: 10000 });
export const Paging = {
  StartIndex: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9 })),
  Limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e6 })),
};

/** A position or duration in ticks (100 ns): `1e300` or `1e309` (Infinity once parsed) is a 400, not a row. */
export const Ticks = Type.Number({ minimum: 0, maximum: MAX_TICKS });
