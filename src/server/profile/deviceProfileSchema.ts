/**
 * The DeviceProfile at the trust boundary (API.md §8, issue 14): one TypeBox schema that Fastify validates
 * request bodies with and that stored profiles are checked against, and the normalisation into the typed
 * `DeviceProfile` the decision code reads.
 *
 * Tolerant the way Emby clients need: property names in any case, `null` as absent, numbers as strings,
 * CSV lists as one string or an array, enums by name (any case) or number, unknown properties dropped.
 * Strict about shape: an object or array where a value belongs, a TranscodingProfile without Container, a
 * condition without Property is a 400 naming the field. Every array, string and the nesting are bounded, so
 * no input reaches a recursion or spread limit further in (EqualsAny values, JSON.stringify of the stored
 * capabilities, `Math.max(...values)`).
 */
import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { badRequest, DomainError } from '../errors.js';
import type {
  CodecProfile,
  ContainerProfile,
  DeviceProfile,
  DirectPlayProfile,
  ProfileCondition,
  SubtitleProfile,
  TranscodingProfile,
} from '../../shared/profile/types.js';

/** No control characters: a NUL in a container name once reached ffmpeg's arguments and a file name. */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]*$';
/** Container and codec names, and CSV lists of them: letters, digits and the punctuation real names use. */
const CSV_CHARS = '^[A-Za-z0-9_.+, -]*$';
const NUMERIC = '^\\s*\\d{1,15}(\\.\\d{1,6})?\\s*$';

const MAX_PROFILES = 100;
const MAX_CONDITIONS = 50;

const Text = (maxLength: number) => Type.String({ maxLength, pattern: PRINTABLE });
/** A CSV list: "mp4,m4v", or ["mp4", "m4v"]; empty = any. */
const Csv = Type.Union([
  Type.String({ maxLength: 1024, pattern: CSV_CHARS }),
  Type.Array(Type.String({ maxLength: 64, pattern: CSV_CHARS }), { maxItems: 64 }),
]);
/** A non-negative number, or one written as a string ("4000000"). */
const Num = Type.Union([Type.Number({ minimum: 0, maximum: 1e12 }), Type.String({ maxLength: 24, pattern: NUMERIC })]);
/** An enum by name (checked against its names when normalised) or by its number. */
const EnumName = Type.Union([Type.String({ maxLength: 32, pattern: '^[A-Za-z]*$' }), Type.Integer({ minimum: 0, maximum: 64 })]);
const Bool = Type.Union([Type.Boolean(), Type.String({ maxLength: 8, pattern: '^\\s*(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])?\\s*$' })]);
/** A condition's value: "1920", "high|main", "true" (numbers and booleans arrive bare too). */
const ConditionValue = Type.Union([Text(2048), Type.Number(), Type.Boolean()]);

const Condition = Type.Object({
  Condition: EnumName,
  Property: Type.Union([
    Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]*$' }),
    Type.Integer({ minimum: 0, maximum: 64 }),
  ]),
  Value: Type.Optional(ConditionValue),
  IsRequired: Type.Optional(Bool),
});
const Conditions = Type.Array(Condition, { maxItems: MAX_CONDITIONS });

const DirectPlay = Type.Object({
  Container: Type.Optional(Csv),
  AudioCodec: Type.Optional(Csv),
  VideoCodec: Type.Optional(Csv),
  Type: EnumName,
});

const Transcoding = Type.Object({
  Container: Type.String({ minLength: 1, maxLength: 64, pattern: CSV_CHARS }),
  Type: EnumName,
  VideoCodec: Type.Optional(Csv),
  AudioCodec: Type.Optional(Csv),
  Protocol: Type.Optional(Type.String({ maxLength: 16, pattern: '^[A-Za-z0-9]*$' })),
  Context: Type.Optional(EnumName),
  MaxAudioChannels: Type.Optional(Num),
  MinSegments: Type.Optional(Num),
  SegmentLength: Type.Optional(Num),
  BreakOnNonKeyFrames: Type.Optional(Bool),
  CopyTimestamps: Type.Optional(Bool),
  EstimateContentLength: Type.Optional(Bool),
  EnableMpegtsM2TsMode: Type.Optional(Bool),
  TranscodeSeekInfo: Type.Optional(Type.String({ maxLength: 32, pattern: '^[A-Za-z]*$' })),
  EnableSubtitlesInManifest: Type.Optional(Bool),
});

const ContainerProf = Type.Object({
  Type: EnumName,
  Container: Type.Optional(Csv),
  Conditions: Type.Optional(Conditions),
});

const CodecProf = Type.Object({
  Type: EnumName,
  Codec: Type.Optional(Csv),
  Container: Type.Optional(Csv),
  Conditions: Type.Optional(Conditions),
  ApplyConditions: Type.Optional(Conditions),
});

const SubtitleProf = Type.Object({
  Format: Type.String({ minLength: 1, maxLength: 32, pattern: CSV_CHARS }),
  Method: EnumName,
  Language: Type.Optional(Type.String({ maxLength: 64, pattern: CSV_CHARS })),
  Container: Type.Optional(Csv),
});

export const DeviceProfileSchema = Type.Object({
  Name: Type.Optional(Text(256)),
  Id: Type.Optional(Text(128)),
  MaxStreamingBitrate: Type.Optional(Num),
  MaxStaticBitrate: Type.Optional(Num),
  MaxStaticMusicBitrate: Type.Optional(Num),
  MusicStreamingTranscodingBitrate: Type.Optional(Num),
  DirectPlayProfiles: Type.Optional(Type.Array(DirectPlay, { maxItems: MAX_PROFILES })),
  TranscodingProfiles: Type.Optional(Type.Array(Transcoding, { maxItems: MAX_PROFILES })),
  ContainerProfiles: Type.Optional(Type.Array(ContainerProf, { maxItems: MAX_PROFILES })),
  CodecProfiles: Type.Optional(Type.Array(CodecProf, { maxItems: MAX_PROFILES })),
  SubtitleProfiles: Type.Optional(Type.Array(SubtitleProf, { maxItems: MAX_PROFILES })),
});

export type DeviceProfileInput = Static<typeof DeviceProfileSchema>;

// ---------------------------------------------------------------------------------------------------------
// Before validation: names in any case, null as absent, unknown properties dropped — guided by the schema,
// so the walk is as deep as the schema (four levels) whatever the input's nesting.

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  maxItems?: number;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Input shaped for `schema`: object keys renamed to the schema's spelling (case-insensitively), unknown
 * keys and `null` values dropped, arrays of objects prepared item by item. Anything else is returned as it
 * came, for the validator to accept or refuse.
 */
export function prepareForSchema(value: unknown, schema: TSchema): unknown {
  const node = schema as SchemaNode;
  if (node.type === 'object' && node.properties && isPlainObject(value)) {
    const names = new Map(Object.keys(node.properties).map((k) => [k.toLowerCase(), k]));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const name = names.get(key.toLowerCase());
      if (!name) continue;
      const v = prepareForSchema(value[key], node.properties[name] as TSchema);
      if (v !== null && v !== undefined) out[name] = v;
    }
    return out;
  }
  if (node.type === 'array' && node.items && Array.isArray(value)) {
    // One past the bound is enough for the validator to refuse the length; the rest is never looked at.
    const limit = (node.maxItems ?? 10_000) + 1;
    return value.slice(0, limit).map((v) => prepareForSchema(v, node.items as TSchema));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// After validation: the typed DeviceProfile.

/** Emby's enums by name (any case) or number, in their numeric order. */
const ENUMS = {
  mediaType: ['Audio', 'Video', 'Photo', 'Book'],
  codecType: ['Video', 'VideoAudio', 'Audio'],
  context: ['Streaming', 'Static'],
  condition: ['Equals', 'NotEquals', 'LessThanEqual', 'GreaterThanEqual', 'EqualsAny', 'SubstringOf'],
  subtitleMethod: ['Encode', 'Embed', 'External', 'Hls', 'VideoSideData', 'Drop'],
} as const;

function enumValue<K extends keyof typeof ENUMS>(kind: K, value: string | number, field: string): (typeof ENUMS)[K][number] {
  const names = ENUMS[kind] as readonly string[];
  const found = typeof value === 'number' ? names[value] : names.find((n) => n.toLowerCase() === value.toLowerCase());
  if (found === undefined) throw badRequest(`${field}: "${String(value)}" is not one of ${names.join(', ')}`);
  return found as (typeof ENUMS)[K][number];
}

function csv(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : value.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .join(',');
  return list === '' ? undefined : list;
}

function num(value: number | string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

function bool(value: boolean | string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  const t = value.trim().toLowerCase();
  return t === '' ? undefined : t === 'true';
}

/** Drops the keys whose value is undefined, so the stored JSON holds only what was said. */
function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

type ConditionInput = Static<typeof Condition>;

function toCondition(c: ConditionInput, field: string): ProfileCondition {
  return defined({
    Condition: enumValue('condition', c.Condition, `${field}.Condition`) as ProfileCondition['Condition'],
    Property: String(c.Property),
    Value: c.Value === undefined ? '' : String(c.Value),
    IsRequired: bool(c.IsRequired),
  });
}

function toConditions(list: ConditionInput[] | undefined, field: string): ProfileCondition[] | undefined {
  return list?.map((c, i) => toCondition(c, `${field}[${i}]`));
}

function toDirectPlay(p: Static<typeof DirectPlay>, field: string): DirectPlayProfile {
  return defined({
    Container: csv(p.Container),
    AudioCodec: csv(p.AudioCodec),
    VideoCodec: csv(p.VideoCodec),
    Type: enumValue('mediaType', p.Type, `${field}.Type`) as DirectPlayProfile['Type'],
  });
}

function toTranscoding(p: Static<typeof Transcoding>, field: string): TranscodingProfile {
  return defined({
    Container: p.Container.trim(),
    Type: enumValue('mediaType', p.Type, `${field}.Type`) as TranscodingProfile['Type'],
    VideoCodec: csv(p.VideoCodec),
    AudioCodec: csv(p.AudioCodec),
    Protocol: p.Protocol?.toLowerCase() || undefined,
    Context: p.Context === undefined ? undefined : enumValue('context', p.Context, `${field}.Context`),
    MaxAudioChannels: num(p.MaxAudioChannels),
    MinSegments: num(p.MinSegments),
    SegmentLength: num(p.SegmentLength),
    BreakOnNonKeyFrames: bool(p.BreakOnNonKeyFrames),
    CopyTimestamps: bool(p.CopyTimestamps),
    EstimateContentLength: bool(p.EstimateContentLength),
    EnableMpegtsM2TsMode: bool(p.EnableMpegtsM2TsMode),
    TranscodeSeekInfo: p.TranscodeSeekInfo,
    EnableSubtitlesInManifest: bool(p.EnableSubtitlesInManifest),
  });
}

function toContainerProfile(p: Static<typeof ContainerProf>, field: string): ContainerProfile {
  return defined({
    Type: enumValue('mediaType', p.Type, `${field}.Type`) as ContainerProfile['Type'],
    Container: csv(p.Container),
    Conditions: toConditions(p.Conditions, `${field}.Conditions`),
  });
}

function toCodecProfile(p: Static<typeof CodecProf>, field: string): CodecProfile {
  return defined({
    Type: enumValue('codecType', p.Type, `${field}.Type`),
    Codec: csv(p.Codec),
    Container: csv(p.Container),
    Conditions: toConditions(p.Conditions, `${field}.Conditions`),
    ApplyConditions: toConditions(p.ApplyConditions, `${field}.ApplyConditions`),
  });
}

function toSubtitleProfile(p: Static<typeof SubtitleProf>, field: string): SubtitleProfile {
  return defined({
    Format: p.Format.trim(),
    Method: enumValue('subtitleMethod', p.Method, `${field}.Method`),
    Language: p.Language?.trim() || undefined,
    Container: csv(p.Container),
  });
}

function each<I, O>(list: I[] | undefined, field: string, map: (item: I, field: string) => O): O[] | undefined {
  return list?.map((item, i) => map(item, `${field}[${i}]`));
}

/**
 * The typed profile from validated input. Throws a bad request naming the field when an enum holds a name
 * it doesn't have (JSON Schema cannot say "any case").
 */
export function toDeviceProfile(input: DeviceProfileInput, field = 'DeviceProfile'): DeviceProfile {
  return defined({
    Name: input.Name,
    Id: input.Id,
    MaxStreamingBitrate: num(input.MaxStreamingBitrate),
    MaxStaticBitrate: num(input.MaxStaticBitrate),
    MaxStaticMusicBitrate: num(input.MaxStaticMusicBitrate),
    MusicStreamingTranscodingBitrate: num(input.MusicStreamingTranscodingBitrate),
    DirectPlayProfiles: each(input.DirectPlayProfiles, `${field}.DirectPlayProfiles`, toDirectPlay),
    TranscodingProfiles: each(input.TranscodingProfiles, `${field}.TranscodingProfiles`, toTranscoding),
    ContainerProfiles: each(input.ContainerProfiles, `${field}.ContainerProfiles`, toContainerProfile),
    CodecProfiles: each(input.CodecProfiles, `${field}.CodecProfiles`, toCodecProfile),
    SubtitleProfiles: each(input.SubtitleProfiles, `${field}.SubtitleProfiles`, toSubtitleProfile),
  });
}

const checker = Compile(DeviceProfileSchema);

export type ProfileParse = { ok: true; profile: DeviceProfile } | { ok: false; reason: string };

/**
 * Any value (a stored profile, an input that bypassed the HTTP validator) to a typed profile, or the
 * reason it isn't one — the same rules as the request schema.
 */
export function parseDeviceProfile(raw: unknown): ProfileParse {
  const prepared = prepareForSchema(raw, DeviceProfileSchema);
  if (!checker.Check(prepared)) {
    const first = checker.Errors(prepared)[0];
    return { ok: false, reason: first ? `DeviceProfile${first.instancePath.replace(/\//g, '.')} ${first.message}` : 'invalid' };
  }
  try {
    return { ok: true, profile: toDeviceProfile(prepared) };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, reason: err.message };
    throw err;
  }
}
