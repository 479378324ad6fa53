/**
 * What a device says it can do (API.md §2 "Devices and targets"): the capabilities a client reports, and the
 * DeviceProfile every decision reads back. Reported profiles are validated at the route (schema) and
 * normalised here; a profile stored before the schema existed is checked again when read, and one that no
 * longer validates is dropped with a warning — the device reports again at its next start — never a 500.
 */
import { Type, type Static } from 'typebox';
import type { Logger } from 'pino';
import type { AuthContext } from '../auth/authService.js';
import { forbidden } from '../errors.js';
import type { ClientCapabilities } from '../../shared/api/users.js';
import type { DeviceProfile } from '../../shared/profile/types.js';
import { DeviceProfileSchema, parseDeviceProfile, prepareForSchema, toDeviceProfile } from './deviceProfileSchema.js';

const Word = (maxLength: number) => Type.String({ maxLength, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });

/** Capabilities without the profile: the short form's query (`POST /Sessions/Capabilities`). */
export const CapabilitiesFields = {
  PlayableMediaTypes: Type.Optional(Type.Array(Word(32), { maxItems: 20 })),
  SupportedCommands: Type.Optional(Type.Array(Word(64), { maxItems: 200 })),
  SupportsMediaControl: Type.Optional(Type.Boolean()),
  SupportsSync: Type.Optional(Type.Boolean()),
  SupportsPersistentIdentifier: Type.Optional(Type.Boolean()),
  SupportsContentUploading: Type.Optional(Type.Boolean()),
  AppStoreUrl: Type.Optional(Word(2000)),
  IconUrl: Type.Optional(Word(2000)),
};
export const CapabilitiesQuery = Type.Object(CapabilitiesFields);
/** `POST /Sessions/Capabilities/Full`: the same with the DeviceProfile. */
export const CapabilitiesBody = Type.Object({ ...CapabilitiesFields, DeviceProfile: Type.Optional(DeviceProfileSchema) });
export type CapabilitiesInput = Static<typeof CapabilitiesBody>;

/**
 * Before validation: a body's `DeviceProfile` shaped for the schema (names in any case, nulls and unknown
 * properties gone). A route hook, since only the top level of a body gets the generic tolerant treatment.
 */
export function prepareProfileField(body: unknown): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return;
  const b = body as { DeviceProfile?: unknown };
  if (b.DeviceProfile === null) delete b.DeviceProfile;
  else if (b.DeviceProfile !== undefined) b.DeviceProfile = prepareForSchema(b.DeviceProfile, DeviceProfileSchema);
}

/** The device records this service reads and writes. */
export interface CapabilitiesStore {
  get(id: string): { capabilities: ClientCapabilities | null } | undefined;
  setCapabilities(id: string, caps: ClientCapabilities): void;
  isUserOfDevice(deviceId: string, userId: string): boolean;
}

export class DeviceCapabilities {
  constructor(
    private readonly devices: CapabilitiesStore,
    private readonly log: Pick<Logger, 'warn'>,
  ) {}

  /** The profile the device last reported, if it (still) validates. */
  profileOf(deviceId: string): DeviceProfile | undefined {
    const caps = this.devices.get(deviceId)?.capabilities;
    const raw: unknown = caps?.DeviceProfile;
    if (!caps || raw === undefined || raw === null) return undefined;
    const parsed = parseDeviceProfile(raw);
    if (parsed.ok) return parsed.profile;
    this.log.warn(
      { deviceId, reason: parsed.reason },
      'ignoring a stored DeviceProfile that does not validate; the device must report its capabilities again',
    );
    // Dropped, so the warning comes once and the next report starts clean.
    this.devices.setCapabilities(deviceId, toCapabilities(caps, undefined));
    return undefined;
  }

  /**
   * `POST /Sessions/Capabilities/Full` (with a profile) or the short form (`keepProfile`: the profile
   * reported earlier stays). Only a user signed in on the device replaces what it says it can do.
   */
  report(
    caller: AuthContext,
    input: Static<typeof CapabilitiesQuery> & { DeviceProfile?: CapabilitiesInput['DeviceProfile'] },
    keepProfile = false,
  ): void {
    if (!this.devices.isUserOfDevice(caller.deviceId, caller.user.id)) throw forbidden('Sign in on this device to report its capabilities');
    const profile = keepProfile ? this.profileOf(caller.deviceId) : input.DeviceProfile && toDeviceProfile(input.DeviceProfile);
    this.devices.setCapabilities(caller.deviceId, toCapabilities(input, profile));
  }
}

function toCapabilities(input: Partial<Omit<ClientCapabilities, 'DeviceProfile'>>, profile: DeviceProfile | undefined): ClientCapabilities {
  return {
    PlayableMediaTypes: input.PlayableMediaTypes ?? [],
    SupportedCommands: input.SupportedCommands ?? [],
    SupportsMediaControl: input.SupportsMediaControl ?? false,
    SupportsSync: input.SupportsSync ?? false,
    SupportsPersistentIdentifier: input.SupportsPersistentIdentifier ?? true,
    SupportsContentUploading: input.SupportsContentUploading ?? false,
    DeviceProfile: profile,
    AppStoreUrl: input.AppStoreUrl,
    IconUrl: input.IconUrl,
  };
}
