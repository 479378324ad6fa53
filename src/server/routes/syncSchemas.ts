/**
 * TypeBox fragments of the /Sync routes (API.md §3, §4): one schema per route gives Fastify its validation
 * and the handler its type. Tolerant input (names in any case, CSV arrays, numbers as strings) comes from
 * `http/tolerantInput.ts` and Ajv's coercion; every size is bounded.
 */
import { Type, type Static } from 'typebox';
import { badRequest } from '../errors.js';
import { CsvStrings, Paging, ShortString, Ticks } from '../http/schemas.js';
import { parseEnum, SYNC_CATEGORIES, type SyncCategory } from '../../shared/api/sync.js';

export const TargetParams = Type.Object({ targetId: ShortString });
/** Enums arrive by name in any case or by number (API.md §1): normalised by the handler. */
export const EnumName = Type.Union([Type.String({ maxLength: 64 }), Type.Integer({ minimum: 0, maximum: 64 })]);
const Count = Type.Integer({ minimum: 0, maximum: 1e9 });
const Bps = Type.Integer({ minimum: 0, maximum: 1e10 });

export function parseCategory(value: string | number | undefined): SyncCategory | undefined {
  if (value === undefined || value === '') return undefined;
  const c = parseEnum(SYNC_CATEGORIES, value);
  if (!c) throw badRequest(`Unknown Category "${String(value)}"`);
  return c;
}

export const TargetsQuery = Type.Object({ UserId: Type.Optional(ShortString) });

export const OptionsQuery = Type.Object({
  UserId: Type.Optional(ShortString),
  ItemIds: Type.Optional(CsvStrings),
  ParentId: Type.Optional(ShortString),
  TargetId: Type.Optional(ShortString),
  Category: Type.Optional(EnumName),
  UnwatchedOnly: Type.Optional(Type.Boolean()),
  ItemLimit: Type.Optional(Count),
  Bitrate: Type.Optional(Bps),
});

export const JobRequest = Type.Object({
  TargetId: Type.Optional(ShortString),
  ItemIds: Type.Optional(CsvStrings),
  Category: Type.Optional(EnumName),
  ParentId: Type.Optional(ShortString),
  Quality: Type.Optional(ShortString),
  Profile: Type.Optional(ShortString),
  Name: Type.Optional(ShortString),
  UserId: Type.Optional(ShortString),
  UnwatchedOnly: Type.Optional(Type.Boolean()),
  SyncNewContent: Type.Optional(Type.Boolean()),
  ItemLimit: Type.Optional(Count),
  Bitrate: Type.Optional(Bps),
});

export const JobsQuery = Type.Object({
  ...Paging,
  TargetId: Type.Optional(ShortString),
  UserId: Type.Optional(ShortString),
  ExcludeTargetIds: Type.Optional(CsvStrings),
  ItemId: Type.Optional(ShortString),
  Statuses: Type.Optional(CsvStrings),
  SyncNewContent: Type.Optional(Type.Boolean()),
});

export const JobUpdate = Type.Object({
  Name: Type.Optional(ShortString),
  Quality: Type.Optional(ShortString),
  Bitrate: Type.Optional(Type.Union([Bps, Type.Null()])),
  Profile: Type.Optional(ShortString),
  UnwatchedOnly: Type.Optional(Type.Boolean()),
  SyncNewContent: Type.Optional(Type.Boolean()),
  ItemLimit: Type.Optional(Type.Union([Count, Type.Null()])),
});

export const JobItemsQuery = Type.Object({
  ...Paging,
  JobId: Type.Optional(ShortString),
  ItemId: Type.Optional(ShortString),
  TargetId: Type.Optional(ShortString),
  Statuses: Type.Optional(CsvStrings),
  AddMetadata: Type.Optional(Type.Boolean()),
});

export const ReadyQuery = Type.Object({ TargetId: ShortString });
export const AdditionalFileQuery = Type.Object({ Name: Type.String({ minLength: 1, maxLength: 512 }) });

export const SyncDataRequest = Type.Object({
  TargetId: ShortString,
  LocalItemIds: Type.Optional(CsvStrings),
  OfflineUserIds: Type.Optional(CsvStrings),
  SyncJobItemIds: Type.Optional(CsvStrings),
});

export const UserAction = Type.Object({
  Id: Type.String({ minLength: 1, maxLength: 128 }),
  ServerId: Type.Optional(ShortString),
  UserId: Type.Optional(ShortString),
  ItemId: ShortString,
  Type: Type.Optional(EnumName),
  Date: Type.String({ maxLength: 64 }),
  PositionTicks: Type.Optional(Type.Union([Ticks, Type.Null()])),
});
export const OfflineActions = Type.Array(UserAction, { maxItems: 10_000 });
export type UserActionInput = Static<typeof UserAction>;

/** `DELETE /Sync/{TargetId}/Items` and friends: TargetId and ItemIds from the query or the body. */
export const CancelOnTarget = Type.Object({ TargetId: Type.Optional(ShortString), ItemIds: Type.Optional(CsvStrings) });
